import { scaled, warmUp, type Workload } from './workload.js';

const TASKS = 100_000;
const IN_FLIGHT = 64;

/** A bounded window of tasks in flight, refilled as each settles: a producer that respects backpressure. */
export const window: Workload = {
  summary: `${TASKS.toLocaleString('en-US')} tiny tasks, ${IN_FLIGHT} in flight`,
  metrics: [{ key: 'tasksPerSecond', label: 'tasks/s', better: 'higher', digits: 0 }],
  measure: async ({ createPool, scale }) => {
    const pool = createPool();
    await warmUp(pool);
    const tasks = scaled(TASKS, scale);
    let submitted = 0;
    const lane = async (): Promise<void> => {
      while (submitted < tasks) await pool.run('noop', submitted++);
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const elapsedMs = performance.now() - started;
    await pool.close();
    return { tasksPerSecond: (tasks / elapsedMs) * 1000, elapsedMs };
  },
};
