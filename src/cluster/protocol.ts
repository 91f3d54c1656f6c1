/**
 * What the primary and its processes say to each other over the IPC channel
 * of `node:cluster`, and the environment a process is started with. The only
 * module both sides import. Every message carries `spindle: 'cluster'`, so
 * that the application's own messages (and prom-client's) pass by untouched.
 */
import type { PoolStats } from '../index.js';

/** Environment variables the primary sets for each process (with `SPINDLE_THREADS`). */
export const ENVIRONMENT = {
  /** The process's slot, 0 to processes - 1; a replacement takes the slot of the process it replaces. */
  slot: 'SPINDLE_CLUSTER_SLOT',
  /** Milliseconds between heartbeats; set only under a supervisor. */
  heartbeatInterval: 'SPINDLE_CLUSTER_HEARTBEAT_MS',
} as const;

export const TAG = 'cluster';

/** Prometheus metrics of one registry, as prom-client's `getMetricsAsJSON()` gives them. */
export type MetricsJson = readonly Readonly<Record<string, unknown>>[];

export interface Heartbeat {
  /** The longest event-loop delay since the previous heartbeat, in ms. */
  readonly eventLoopDelayMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** The registered pool's `stats()`, if one was registered. */
  readonly pool: PoolStats | null;
}

/** From a process to the primary. */
export type ProcessMessage =
  | { readonly spindle: typeof TAG; readonly type: 'ready'; readonly drainable: boolean; readonly heartbeat: Heartbeat }
  | { readonly spindle: typeof TAG; readonly type: 'heartbeat'; readonly heartbeat: Heartbeat }
  | { readonly spindle: typeof TAG; readonly type: 'draining' }
  | { readonly spindle: typeof TAG; readonly type: 'metrics'; readonly requestId: number; readonly metrics: MetricsJson; readonly error?: string }
  | { readonly spindle: typeof TAG; readonly type: 'fleet-metrics-request'; readonly requestId: number };

/** From the primary to a process. */
export type PrimaryMessage =
  | { readonly spindle: typeof TAG; readonly type: 'drain' }
  | { readonly spindle: typeof TAG; readonly type: 'metrics-request'; readonly requestId: number }
  | { readonly spindle: typeof TAG; readonly type: 'fleet-metrics'; readonly requestId: number; readonly text: string; readonly contentType: string; readonly error?: string };

type Tagged = { readonly spindle: typeof TAG; readonly type: string };

/** Whether an IPC message is one of the cluster's (and not the application's). */
export function isClusterMessage(message: unknown): message is Tagged {
  return typeof message === 'object' && message !== null && (message as { spindle?: unknown }).spindle === TAG && typeof (message as { type?: unknown }).type === 'string';
}
