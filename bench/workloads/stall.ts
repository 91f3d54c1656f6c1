import { percentile } from '../report/statistics.js';
import type { BenchPool } from '../adapters/bench-pool.js';
import { scaled, warmUp, type Workload } from './workload.js';

const TASKS = 5_000;
/** One call in this many turns out slow. */
const STALL_EVERY = 250;
const STALL_US = 30_000;
/** One task arrives every this many ms. */
const ARRIVAL_MS = 0.2;

/** 1–20 µs, spread evenly (a fixed sequence, the same for every pool). */
function quickUs(index: number): number {
  return 1 + ((index * 7) % 20);
}

/**
 * Head-of-line blocking: a steady stream of tiny calls of one task name, of
 * which one in STALL_EVERY turns out to take 30 ms. A pool that sends tasks
 * in batches (Spindle) must not leave the tiny calls batched behind the slow
 * one waiting for it while the other worker idles; a pool that hands out one
 * task at a time never does. Latency of the tiny calls, from submission.
 */
export const stall: Workload = {
  summary: `${TASKS} calls of one task name arriving every ${ARRIVAL_MS} ms: 1–20 µs each, except one in ${STALL_EVERY} that takes ${STALL_US / 1000} ms; latency of the quick ones`,
  metrics: [
    { key: 'quickP99Ms', label: 'quick p99 ms', better: 'lower', digits: 2 },
    { key: 'quickP50Ms', label: 'quick p50 ms', better: 'lower', digits: 3 },
    { key: 'quickMaxMs', label: 'quick max ms', better: 'lower', digits: 1 },
  ],
  measure: async ({ createPool, scale }) => {
    const pool = createPool(false);
    await warmUp(pool, 200);
    for (let index = 0; index < 200; index++) await pool.run('quickJob', 1);
    const quick = await replay(pool, scaled(TASKS, scale));
    await pool.close();
    return { quickP99Ms: percentile(quick, 0.99), quickP50Ms: percentile(quick, 0.5), quickMaxMs: Math.max(...quick) };
  },
};

async function replay(pool: BenchPool, tasks: number): Promise<number[]> {
  const quick: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let next = 0;
  while (next < tasks) {
    const dueUpTo = Math.min(tasks, Math.floor((performance.now() - started) / ARRIVAL_MS) + 1);
    for (; next < dueUpTo; next++) {
      const slow = next % STALL_EVERY === STALL_EVERY - 1;
      const submittedAt = performance.now();
      const call = pool.run('quickJob', slow ? STALL_US : quickUs(next));
      pending.push(
        slow
          ? call.then(() => undefined)
          : call.then(() => {
              quick.push(performance.now() - submittedAt);
            }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return quick;
}
