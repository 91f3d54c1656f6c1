import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { registerPoolMetrics, type PoolStatsSource } from 'spindle/prometheus';

/**
 * `GET /metrics`: Prometheus text with the process defaults, the HTTP request
 * durations per route and, when pooled, the pool's own figures via
 * `spindle/prometheus`. Each service has its own registry.
 */
export function registerMetricsRoutes(app: FastifyInstance, pool: PoolStatsSource | undefined): { readonly countShed: () => void; readonly registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'demo_' });
  if (pool !== undefined) registerPoolMetrics(pool, { registry, prefix: 'spindle_' });
  const requestDuration = new Histogram({
    name: 'demo_http_request_duration_seconds',
    help: 'HTTP request durations by route and status.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const shed = new Counter({ name: 'demo_requests_shed_total', help: 'Requests answered 503 because the work queue was full.', registers: [registry] });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
  return {
    countShed: () => {
      shed.inc();
    },
    registry,
  };
}
