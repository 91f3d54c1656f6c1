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
  readonly threads: number;
  /** Multiplies task counts (1 for the real run; smaller for a quick check). */
  readonly scale: number;
}

export interface Workload {
  readonly summary: string;
  /** Metrics shown in the table; a workload may report more in its JSON. */
  readonly metrics: readonly MetricSpec[];
  readonly measure: (context: WorkloadContext) => Promise<Metrics>;
}

export function scaled(count: number, scale: number): number {
  return Math.max(1, Math.round(count * scale));
}

/**
 * Tasks run in the measured pattern (burst or window) before the measured
 * run, for every pool: V8 optimises the dispatch path only after some
 * thousands of tasks, and the first 20,000 through Spindle run at a third
 * to a half of the rate of later ones on this VM.
 */
export const THROUGHPUT_WARM_UPS = 20_000;

/** Lets every worker load its code and compile the tiny task before timing starts. */
export async function warmUp(pool: BenchPool, tasks = 2_000): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let index = 0; index < tasks; index++) pending.push(pool.run('noop', index));
  await Promise.all(pending);
}
