import { median } from '../report/statistics.js';
import { fib } from '../workers/tasks.js';
import { scaled, type Workload } from './workload.js';

const TASKS = 32;
const FIB_N = 30;
/** Baseline and pool runs alternate this many times; the median pair wins. Alternating keeps a noisy neighbour from favouring one side. */
const PAIRS = 3;

/** CPU-bound tasks: how close the pool gets to `threads` times one thread. */
export const cpu: Workload = {
  summary: `${TASKS} × fib(${FIB_N}) at once, against the same run in-process on one thread (median of ${PAIRS} alternating pairs)`,
  metrics: [
    { key: 'speedup', label: 'speed-up ×', better: 'higher', digits: 2 },
    { key: 'efficiency', label: 'efficiency', better: 'higher', digits: 3 },
  ],
  measure: async ({ createPool, threads, scale }) => {
    const tasks = scaled(TASKS, scale);
    const pool = createPool();
    await Promise.all(Array.from({ length: threads * 4 }, () => pool.run('fib', FIB_N - 4)));
    for (let index = 0; index < threads * 4; index++) fib(FIB_N - 4);
    const speedups: number[] = [];
    const baselines: number[] = [];
    const poolTimes: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      let started = performance.now();
      for (let index = 0; index < tasks; index++) fib(FIB_N);
      const baselineMs = performance.now() - started;
      started = performance.now();
      await Promise.all(Array.from({ length: tasks }, () => pool.run('fib', FIB_N)));
      const poolMs = performance.now() - started;
      baselines.push(baselineMs);
      poolTimes.push(poolMs);
      speedups.push(baselineMs / poolMs);
    }
    await pool.close();
    const speedup = median(speedups);
    return { speedup, efficiency: speedup / threads, baselineMs: median(baselines), poolMs: median(poolTimes) };
  },
};
