import { median } from '../report/statistics.js';
import { fib } from '../workers/tasks.js';
import { scaled, type Workload } from './workload.js';

const TASKS = 32;
const FIB_N = 30;
/**
 * Baseline and pool runs alternate this many times, and each side's fastest
 * run counts. A neighbour on a shared machine only ever adds time, so the
 * fastest run is the closest to what the threads can do; alternating keeps a
 * noisy spell from favouring one side.
 */
const PAIRS = 5;

/** CPU-bound tasks: how close the pool gets to `threads` times one thread. */
export const cpu: Workload = {
  summary: `${TASKS} × fib(${FIB_N}) at once, against the same run in-process on one thread (fastest of ${PAIRS} alternating runs each)`,
  metrics: [
    { key: 'speedup', label: 'speed-up ×', better: 'higher', digits: 2 },
    { key: 'efficiency', label: 'efficiency', better: 'higher', digits: 3 },
    { key: 'medianEfficiency', label: 'eff. (medians)', better: 'higher', digits: 3 },
  ],
  measure: async ({ createPool, threads, scale }) => {
    const tasks = scaled(TASKS, scale);
    const pool = createPool();
    await Promise.all(Array.from({ length: threads * 4 }, () => pool.run('fib', FIB_N - 4)));
    for (let index = 0; index < threads * 4; index++) fib(FIB_N - 4);
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
    }
    await pool.close();
    const baselineMs = Math.min(...baselines);
    const poolMs = Math.min(...poolTimes);
    const speedup = baselineMs / poolMs;
    return { speedup, efficiency: speedup / threads, baselineMs, poolMs, medianEfficiency: median(baselines) / median(poolTimes) / threads };
  },
};
