import type { MetricsJson } from '../protocol.js';

/**
 * A prom-client `Registry` (or anything with the same two methods): the
 * metrics this process contributes to the fleet's.
 */
export interface MetricsRegistry {
  getMetricsAsJSON(): Promise<readonly object[]> | readonly object[];
  metrics(): Promise<string> | string;
}

/** prom-client's global registry, if prom-client is installed; undefined otherwise. */
async function globalRegistry(): Promise<MetricsRegistry | undefined> {
  try {
    const promClient = await import('prom-client');
    return promClient.register;
  } catch {
    return undefined;
  }
}

/** This process's metrics, from `registry` or prom-client's global one; none without either. */
export async function localMetrics(registry: MetricsRegistry | undefined): Promise<MetricsJson> {
  const source = registry ?? (await globalRegistry());
  if (source === undefined) return [];
  return (await source.getMetricsAsJSON()) as MetricsJson;
}

/** This process's metrics as Prometheus text: the fleet of one, when it runs on its own. */
export async function localMetricsText(registry: MetricsRegistry | undefined): Promise<string> {
  const source = registry ?? (await globalRegistry());
  return source === undefined ? '' : source.metrics();
}
