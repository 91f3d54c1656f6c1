/**
 * `spindle/cluster`: a supervisor for pooled HTTP services. The primary forks
 * the processes (`startCluster()`), each runs your server with its own pool
 * and joins with `clusterWorker()`. No dependency; the fleet's metrics use
 * prom-client, an optional peer dependency, when asked for.
 */
export { startCluster, Cluster } from './primary/cluster.js';
export { planCluster, type ClusterPlan, type ClusterPlanOptions } from './plan.js';
export type { ClusterOptions } from './options.js';
export type { ClusterEvents, ClusterSnapshot, ClusterState, ProcessSnapshot, ProcessState, ProcessExit, ProcessExitReason } from './events.js';
export { METRICS_CONTENT_TYPE as metricsContentType } from './primary/fleet-metrics.js';
export { respawnDelay } from './primary/respawn-policy.js';
export { clusterWorker, type ClusterWorker, type ClusterWorkerOptions, type DrainablePool } from './worker/cluster-worker.js';
export type { DrainableServer } from '../http/http-drain.js';
export type { MetricsRegistry } from './worker/metrics-source.js';
export { ClusterError, ProcessStartError, ReloadError, ClusterClosedError, ShutdownTimeoutError, MetricsTimeoutError, clusterErrorCodes, type ClusterErrorCode, type StartFailureReason } from './errors.js';
