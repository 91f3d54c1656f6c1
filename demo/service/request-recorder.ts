import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Requests answered in one window of the dashboard, and their latencies. */
export interface RequestWindow {
  readonly requestsPerSecond: number;
  /** Answers with status 503 (shed because the queue was full). */
  readonly shedPerSecond: number;
  /** Latency percentiles of the work routes, in ms; 0 when none finished. */
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number };
}

/**
 * Counts answered requests of the work routes and their latencies, window by
 * window: each `takeWindow()` returns the figures since the previous one.
 */
export class RequestRecorder {
  #latencyUs: RecordableHistogram = createHistogram();
  #answered = 0;
  #shed = 0;
  #windowStartedAt = performance.now();

  record(statusCode: number, latencyMs: number): void {
    this.#answered++;
    if (statusCode === 503) this.#shed++;
    else this.#latencyUs.record(Math.max(1, Math.round(latencyMs * 1000)));
  }

  takeWindow(): RequestWindow {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.#windowStartedAt) / 1000);
    const histogram = this.#latencyUs;
    const percentile = (value: number): number => (histogram.count === 0 ? 0 : Math.round(histogram.percentile(value) / 100) / 10);
    const window: RequestWindow = {
      requestsPerSecond: Math.round((this.#answered / seconds) * 10) / 10,
      shedPerSecond: Math.round((this.#shed / seconds) * 10) / 10,
      latency: { p50: percentile(50), p95: percentile(95), p99: percentile(99) },
    };
    this.#latencyUs = createHistogram();
    this.#answered = 0;
    this.#shed = 0;
    this.#windowStartedAt = now;
    return window;
  }
}
