import { scaled, warmUp, type Workload } from './workload.js';

const TASKS = 100_000;

/** Every task submitted at once: the pool's raw dispatch throughput. */
export const burst: Workload = {
  summary: `${TASKS.toLocaleString('en-US')} tiny tasks submitted at once`,
  metrics: [{ key: 'tasksPerSecond', label: 'tasks/s', better: 'higher', digits: 0 }],
  measure: async ({ createPool, scale }) => {
    const pool = createPool();
    await warmUp(pool);
    const tasks = scaled(TASKS, scale);
    const started = performance.now();
    const pending: Promise<unknown>[] = new Array<Promise<unknown>>(tasks);
    for (let index = 0; index < tasks; index++) pending[index] = pool.run('noop', index);
    await Promise.all(pending);
    const elapsedMs = performance.now() - started;
    await pool.close();
    return { tasksPerSecond: (tasks / elapsedMs) * 1000, elapsedMs };
  },
};
