/**
 * Prometheus metrics for a Spindle pool, on prom-client (an optional peer
 * dependency): `import { registerPoolMetrics } from 'spindle/prometheus'`.
 */
export { registerPoolMetrics, type PoolMetrics, type PoolMetricsOptions, type PoolStatsSource } from './register-pool-metrics.js';
