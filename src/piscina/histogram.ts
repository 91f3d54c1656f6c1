import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** piscina's histogram summary: milliseconds. */
export interface PiscinaHistogramSummary {
  readonly average: number;
  readonly mean: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly p0_001: number;
  readonly p0_01: number;
  readonly p0_1: number;
  readonly p1: number;
  readonly p2_5: number;
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p97_5: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly p99_99: number;
  readonly p99_999: number;
}

export interface PiscinaHistogram {
  readonly runTime: PiscinaHistogramSummary;
  readonly waitTime: PiscinaHistogramSummary;
  resetRunTime(): void;
  resetWaitTime(): void;
}

const PERCENTILES = [
  ['p0_001', 0.001],
  ['p0_01', 0.01],
  ['p0_1', 0.1],
  ['p1', 1],
  ['p2_5', 2.5],
  ['p10', 10],
  ['p25', 25],
  ['p50', 50],
  ['p75', 75],
  ['p90', 90],
  ['p97_5', 97.5],
  ['p99', 99],
  ['p99_9', 99.9],
  ['p99_99', 99.99],
  ['p99_999', 99.999],
] as const;

/** Records in microseconds (as piscina does), reports in milliseconds. */
export function summarize(histogram: RecordableHistogram): PiscinaHistogramSummary {
  const summary: Record<string, number> = {
    average: histogram.mean / 1000,
    mean: histogram.mean / 1000,
    stddev: histogram.stddev / 1000,
    min: histogram.min / 1000,
    max: histogram.max / 1000,
  };
  for (const [key, percentile] of PERCENTILES) summary[key] = histogram.percentile(percentile) / 1000;
  return summary as unknown as PiscinaHistogramSummary;
}

/** The pool's run-time and wait-time histograms (piscina's `recordTiming`). */
export class Timings {
  readonly runTime = createHistogram();
  readonly waitTime = createHistogram();

  static record(histogram: RecordableHistogram, milliseconds: number): void {
    histogram.record(Math.max(1, Math.trunc(milliseconds * 1000)));
  }

  view(): PiscinaHistogram {
    const { runTime, waitTime } = this;
    return {
      get runTime() {
        return summarize(runTime);
      },
      get waitTime() {
        return summarize(waitTime);
      },
      resetRunTime() {
        runTime.reset();
      },
      resetWaitTime() {
        waitTime.reset();
      },
    };
  }
}
