import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { DurationSummary } from './snapshot.js';

/** Counters and histograms the engine bumps; snapshots are built from them. */
export class StatsCollector {
  submitted = 0;
  completed = 0;
  failed = 0;
  aborted = 0;
  timedOut = 0;
  rejectedQueueFull = 0;
  retried = 0;
  workerCrashes = 0;
  workersStarted = 0;
  workerStartFailures = 0;
  /** Tasks taken back from a worker before they started, to run elsewhere. */
  takenBack = 0;
  /** Failed tasks by error code (`other` for errors without a string code). */
  readonly failedByCode = new Map<string, number>();
  /** Busy microseconds of workers that have exited (live ones are added at snapshot time). */
  busyUsOfExited = 0;
  /** Lifetime microseconds of workers that have exited. */
  aliveUsOfExited = 0;
  readonly runTimeUs: RecordableHistogram = createHistogram();
  readonly waitTimeUs: RecordableHistogram = createHistogram();

  countFailure(error: Error): void {
    const code: unknown = (error as { code?: unknown }).code;
    const key = typeof code === 'string' ? code : 'other';
    this.failedByCode.set(key, (this.failedByCode.get(key) ?? 0) + 1);
  }

  recordRun(runTimeUs: number, waitTimeUs: number): void {
    this.runTimeUs.record(Math.max(1, runTimeUs));
    this.waitTimeUs.record(Math.max(1, Math.round(waitTimeUs)));
  }
}

export function summarize(histogram: RecordableHistogram): DurationSummary {
  const count = histogram.count;
  if (count === 0) return Object.freeze({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  const ms = (us: number): number => Math.round(us) / 1000;
  return Object.freeze({
    count,
    mean: ms(histogram.mean),
    p50: ms(histogram.percentile(50)),
    p95: ms(histogram.percentile(95)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
  });
}
