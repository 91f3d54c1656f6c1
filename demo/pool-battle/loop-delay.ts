import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoopDelaySummary {
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

/**
 * The main thread's event-loop delay since the last `reset()`, sampled by a
 * 1 ms timer (`perf_hooks.monitorEventLoopDelay`): each sample includes that
 * 1 ms period, and a loop blocked for 200 ms shows up as one 200 ms sample.
 */
export class LoopDelay {
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });

  constructor() {
    this.#histogram.enable();
  }

  reset(): void {
    this.#histogram.reset();
  }

  summary(): LoopDelaySummary {
    const histogram = this.#histogram;
    if (histogram.count === 0) return { p50: 0, p99: 0, max: 0, samples: 0 };
    const ms = (nanoseconds: number): number => Math.round(nanoseconds / 1e4) / 100;
    return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), samples: histogram.count };
  }

  stop(): void {
    this.#histogram.disable();
  }
}
