import type { BenchPool } from '../adapters/bench-pool.js';
import { measureThroughput, THROUGHPUT_WARM_UPS, type Workload } from './workload.js';

const TASKS = 100_000;
const IN_FLIGHT = 64;

/** A bounded window of tasks in flight, refilled as each settles: a producer that respects backpressure. */
export const window: Workload = {
  summary: `${TASKS.toLocaleString('en-US')} tiny tasks, ${IN_FLIGHT} in flight (after a window of ${THROUGHPUT_WARM_UPS.toLocaleString('en-US')})`,
  metrics: [{ key: 'tasksPerSecond', label: 'tasks/s', better: 'higher', digits: 0 }],
  measure: (context) => measureThroughput(context, TASKS, runWindow),
};

/** Runs `tasks` tasks keeping IN_FLIGHT of them out at a time; returns the elapsed ms. */
async function runWindow(pool: BenchPool, tasks: number): Promise<number> {
  let submitted = 0;
  const lane = async (): Promise<void> => {
    while (submitted < tasks) await pool.run('noop', submitted++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return performance.now() - started;
}
