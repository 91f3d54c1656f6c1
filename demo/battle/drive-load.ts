import { createHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { EndpointLoad } from './load-plan.js';

export interface EndpointResult {
  readonly label: string;
  /** Latency of answered requests, in ms. */
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** 2xx answers per second. */
  readonly throughput: number;
  readonly succeeded: number;
  /** Non-2xx answers, socket errors and timeouts. */
  readonly errors: number;
}

export interface LoadProgress {
  readonly elapsedSeconds: number;
  readonly answered: number;
}

/**
 * Runs every stream of `plan` against `baseUrl` at the same time for
 * `durationSeconds` with autocannon's programmatic API, recording each
 * response's latency into a histogram of our own (autocannon's summary has
 * no p95).
 */
export async function driveLoad(baseUrl: string, plan: readonly EndpointLoad[], durationSeconds: number, onProgress?: (progress: LoadProgress) => void): Promise<EndpointResult[]> {
  let answered = 0;
  const startedAt = performance.now();
  const ticker = onProgress === undefined ? undefined : setInterval(() => {
    onProgress({ elapsedSeconds: (performance.now() - startedAt) / 1000, answered });
  }, 1000);
  try {
    return await Promise.all(plan.map(async (load) => {
      const latencyUs = createHistogram();
      let succeeded = 0;
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: baseUrl + load.path,
            method: load.method,
            headers: load.headers,
            ...(load.body === undefined ? {} : { body: load.body }),
            connections: load.connections,
            ...(load.overallRate === undefined ? {} : { overallRate: load.overallRate }),
            duration: durationSeconds,
            timeout: 20,
          },
          (error, finished) => {
            if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
            else resolve(finished);
          },
        );
        instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
          answered++;
          if (statusCode >= 200 && statusCode < 300) succeeded++;
          latencyUs.record(Math.max(1, Math.round(responseTimeMs * 1000)));
        });
      });
      const ms = (percentile: number): number => (latencyUs.count === 0 ? 0 : Math.round(latencyUs.percentile(percentile) / 100) / 10);
      return {
        label: load.label,
        latency: { p50: ms(50), p95: ms(95), p99: ms(99) },
        throughput: Math.round((succeeded / result.duration) * 10) / 10,
        succeeded,
        errors: result.errors + result.non2xx,
      };
    }));
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
  }
}
