import { percentile } from '../report/statistics.js';
import type { BenchPool } from '../adapters/bench-pool.js';
import { scaled, warmUp, type Workload } from './workload.js';

const LONG_TASKS = 40;
const SHORTS_PER_LONG = 50;
/** One long task arrives every this many ms, its 50 short tasks spread evenly in between. */
const LONG_EVERY_MS = 12.5;

/** 10–50 ms: together more work than two threads can do in the arrival window, so a backlog forms. */
function longTaskUs(index: number): number {
  return 10_000 + ((index * 17) % 41) * 1_000;
}

/** 1–100 µs, spread evenly on a log scale (a fixed sequence, the same for every pool). */
function shortTaskUs(index: number): number {
  const fraction = (index * 0.618_033_988_75) % 1;
  return Math.round(10 ** (2 * fraction));
}

interface Arrival {
  readonly atMs: number;
  readonly long: boolean;
  readonly microseconds: number;
}

function arrivals(longTasks: number): Arrival[] {
  const schedule: Arrival[] = [];
  for (let long = 0; long < longTasks; long++) {
    const startMs = long * LONG_EVERY_MS;
    schedule.push({ atMs: startMs, long: true, microseconds: longTaskUs(long) });
    for (let short = 0; short < SHORTS_PER_LONG; short++) {
      const index = long * SHORTS_PER_LONG + short;
      schedule.push({ atMs: startMs + ((short + 0.5) * LONG_EVERY_MS) / SHORTS_PER_LONG, long: false, microseconds: shortTaskUs(index) });
    }
  }
  return schedule;
}

/**
 * Short interactive tasks (high priority) arriving steadily while long batch
 * tasks pile up: how long does a short task wait behind the long ones?
 * Tasks are submitted when due, checked every millisecond.
 */
export const mixed: Workload = {
  summary: `${LONG_TASKS} long tasks (10–50 ms) and ${LONG_TASKS * SHORTS_PER_LONG} short ones (1–100 µs, high priority) arriving interleaved over ${LONG_TASKS * LONG_EVERY_MS} ms; completion time from submission`,
  metrics: [
    { key: 'shortP99Ms', label: 'short p99 ms', better: 'lower', digits: 2 },
    { key: 'shortP50Ms', label: 'short p50 ms', better: 'lower', digits: 2 },
    { key: 'longP99Ms', label: 'long p99 ms', better: 'lower', digits: 1 },
    { key: 'totalMs', label: 'all done ms', better: 'lower', digits: 0 },
  ],
  measure: async ({ createPool, scale }) => {
    const pool = createPool(true);
    await warmUp(pool, 200);
    await Promise.all([pool.run('quickJob', 1, true), pool.run('slowJob', 1)]);
    const { short, long, totalMs } = await replay(pool, arrivals(scaled(LONG_TASKS, scale)));
    await pool.close();
    return {
      shortP99Ms: percentile(short, 0.99),
      shortP50Ms: percentile(short, 0.5),
      longP99Ms: percentile(long, 0.99),
      totalMs,
    };
  },
};

async function replay(pool: BenchPool, schedule: readonly Arrival[]): Promise<{ short: number[]; long: number[]; totalMs: number }> {
  const short: number[] = [];
  const long: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let next = 0;
  const submitDue = (): void => {
    const nowMs = performance.now() - started;
    while (next < schedule.length && (schedule[next]?.atMs ?? Infinity) <= nowMs) {
      const arrival = schedule[next++];
      if (arrival === undefined) break;
      const submittedAt = performance.now();
      const completions = arrival.long ? long : short;
      const task = arrival.long ? pool.run('slowJob', arrival.microseconds) : pool.run('quickJob', arrival.microseconds, true);
      pending.push(
        task.then(() => {
          completions.push(performance.now() - submittedAt);
        }),
      );
    }
  };
  while (next < schedule.length) {
    submitDue();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return { short, long, totalMs: performance.now() - started };
}
