import type { BenchPool } from '../adapters/bench-pool.js';

/** What a measured number means, and which direction is better. */
export interface MetricSpec {
  readonly key: string;
  readonly label: string;
  readonly better: 'higher' | 'lower';
  /** Digits after the decimal point in the table. */
  readonly digits: number;
}

export type Metrics = Record<string, number>;

export interface WorkloadContext {
  /** A new pool of the library under test; `priorities` turns on what its priorities need. */
  readonly createPool: (priorities?: boolean) => BenchPool;
  /** A new pool of `workers` workers (priorities off). */
  readonly createPoolOf: (workers: number) => BenchPool;
  readonly threads: number;
  /** Multiplies task counts (1 for the real run; smaller for a quick check). */
  readonly scale: number;
}

export interface Workload {
  readonly summary: string;
  /** Metrics shown in the table; a workload may report more in its JSON. */
  readonly metrics: readonly MetricSpec[];
  readonly measure: (context: WorkloadContext) => Promise<Metrics>;
  /**
   * Runs of each pool per round, interleaved, each in a fresh process (1 if
   * unset); the table shows the median of every run of every round. For a
   * figure a single run measures with much noise.
   */
  readonly runsPerRound?: number;
}

export function scaled(count: number, scale: number): number {
  return Math.max(1, Math.round(count * scale));
}

/**
 * Round trips made one at a time before measuring latency or transfer, for
 * every pool and the raw floor alike. The one-at-a-time path runs through
 * code that bursts never exercise, and V8 takes several thousand round trips
 * to optimise it: on this VM Spindle's latency p50 falls from about 11 µs to
 * under 6 µs over the first 3,000 to 9,000 (a transfer from 21 µs to under
 * 8 µs), the raw floor's from 8 µs to 6 µs over the first 3,000.
 */
export const SEQUENTIAL_WARM_UPS = 10_000;

/**
 * Tasks run in the measured pattern (burst or window) before the measured
 * run, for every pool: V8 optimises the dispatch path only after some
 * thousands of tasks, and the first 20,000 through Spindle run at a third
 * to a half of the rate of later ones on this VM.
 */
export const THROUGHPUT_WARM_UPS = 20_000;

/**
 * Tasks per second of `run` over the workload's task count, on a pool that
 * has first run THROUGHPUT_WARM_UPS tasks the same way.
 */
export async function measureThroughput(
  { createPool, scale }: WorkloadContext,
  taskCount: number,
  run: (pool: BenchPool, tasks: number) => Promise<number>,
): Promise<Metrics> {
  const pool = createPool();
  await warmUp(pool);
  await run(pool, scaled(THROUGHPUT_WARM_UPS, scale));
  const tasks = scaled(taskCount, scale);
  const elapsedMs = await run(pool, tasks);
  await pool.close();
  return { tasksPerSecond: (tasks / elapsedMs) * 1000, elapsedMs };
}

/** Lets every worker load its code and compile the tiny task before timing starts. */
export async function warmUp(pool: BenchPool, tasks = 2_000): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let index = 0; index < tasks; index++) pending.push(pool.run('noop', index));
  await Promise.all(pending);
}
