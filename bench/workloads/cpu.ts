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

/**
 * CPU-bound tasks: how close the pool gets to `threads` times one thread.
 *
 * `speedup` and `efficiency` compare with the same work run in this process,
 * so they also measure how well V8 compiled fib in this process and in each
 * worker: a worker's fib(30) takes 14–18 ms depending on the process, a
 * spread as wide as the pools' differences. `busy` takes the compiler out:
 * the share of the workers' time that went to tasks (each task times itself
 * in its worker), so that what it measures is the pool's gaps between tasks
 * and its balance at the end of the batch.
 */
export const cpu: Workload = {
  summary: `${TASKS} × fib(${FIB_N}) at once, against the same run in-process on one thread (fastest of ${PAIRS} alternating runs each); busy: the tasks' own time over the workers' time (median of the ${PAIRS} runs)`,
  metrics: [
    { key: 'speedup', label: 'speed-up ×', better: 'higher', digits: 2 },
    { key: 'efficiency', label: 'efficiency', better: 'higher', digits: 3 },
    { key: 'medianEfficiency', label: 'eff. (medians)', better: 'higher', digits: 3 },
    { key: 'busy', label: 'busy share', better: 'higher', digits: 3 },
  ],
  measure: async ({ createPool, threads, scale }) => {
    const tasks = scaled(TASKS, scale);
    const pool = createPool();
    await Promise.all(Array.from({ length: threads * 4 }, () => pool.run('fibTimed', FIB_N - 4)));
    for (let index = 0; index < threads * 4; index++) fib(FIB_N - 4);
    const baselines: number[] = [];
    const poolTimes: number[] = [];
    const busyShares: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      let started = performance.now();
      for (let index = 0; index < tasks; index++) fib(FIB_N);
      const baselineMs = performance.now() - started;
      started = performance.now();
      const answers = (await Promise.all(Array.from({ length: tasks }, () => pool.run('fibTimed', FIB_N)))) as [number, number][];
      const poolMs = performance.now() - started;
      busyShares.push(answers.reduce((sum, [, taskMs]) => sum + taskMs, 0) / (poolMs * threads));
      baselines.push(baselineMs);
      poolTimes.push(poolMs);
    }
    await pool.close();
    const baselineMs = Math.min(...baselines);
    const poolMs = Math.min(...poolTimes);
    const speedup = baselineMs / poolMs;
    return { speedup, efficiency: speedup / threads, baselineMs, poolMs, medianEfficiency: median(baselines) / median(poolTimes) / threads, busy: median(busyShares) };
  },
};
