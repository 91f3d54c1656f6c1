import type { BenchPool } from '../adapters/bench-pool.js';
import { measureThroughput, THROUGHPUT_WARM_UPS, type Workload } from './workload.js';

const TASKS = 100_000;

/** Every task submitted at once: the pool's raw dispatch throughput. */
export const burst: Workload = {
  summary: `${TASKS.toLocaleString('en-US')} tiny tasks submitted at once (after a burst of ${THROUGHPUT_WARM_UPS.toLocaleString('en-US')})`,
  metrics: [{ key: 'tasksPerSecond', label: 'tasks/s', better: 'higher', digits: 0 }],
  measure: (context) => measureThroughput(context, TASKS, runBurst),
};

/** Submits `tasks` tasks at once and waits for all of them; returns the elapsed ms. */
async function runBurst(pool: BenchPool, tasks: number): Promise<number> {
  const started = performance.now();
  const pending: Promise<unknown>[] = new Array<Promise<unknown>>(tasks);
  for (let index = 0; index < tasks; index++) pending[index] = pool.run('noop', index);
  await Promise.all(pending);
  return performance.now() - started;
}
