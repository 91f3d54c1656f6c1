import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** What the battle test reads from the service at the end of a load phase. */
export interface MeasurementReport {
  /** Event-loop delay in ms, sampled by a 1 ms timer (each sample includes that 1 ms period). */
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number; readonly samples: number };
  /** CPU time of the whole service process (all threads) over wall time, in % of one core. */
  readonly cpuPercent: number;
  readonly elapsedMs: number;
}

/**
 * Event-loop delay and CPU use of this process since the last `reset()`.
 * `monitorEventLoopDelay` runs a timer on the loop; a loop blocked for
 * 200 ms shows up as one 200 ms sample.
 */
export class ServiceMeasurements {
  readonly #eventLoopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  #cpuAtReset = process.cpuUsage();
  #resetAt = performance.now();

  constructor() {
    this.#eventLoopDelay.enable();
  }

  reset(): void {
    this.#eventLoopDelay.reset();
    this.#cpuAtReset = process.cpuUsage();
    this.#resetAt = performance.now();
  }

  report(): MeasurementReport {
    const histogram = this.#eventLoopDelay;
    const ms = (nanoseconds: number): number => Math.round(nanoseconds / 1e4) / 100;
    const elapsedMs = performance.now() - this.#resetAt;
    const cpu = process.cpuUsage(this.#cpuAtReset);
    return {
      eventLoopDelay: {
        p50: histogram.count === 0 ? 0 : ms(histogram.percentile(50)),
        p99: histogram.count === 0 ? 0 : ms(histogram.percentile(99)),
        max: histogram.count === 0 ? 0 : ms(histogram.max),
        samples: histogram.count,
      },
      cpuPercent: elapsedMs === 0 ? 0 : Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
      elapsedMs: Math.round(elapsedMs),
    };
  }

  stop(): void {
    this.#eventLoopDelay.disable();
  }
}
