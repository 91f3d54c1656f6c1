/**
 * The demo service as one process of a `spindle/cluster` fleet: the same
 * Fastify service as `npm start -- --serve`, its pool sized by the
 * supervisor (SPINDLE_THREADS), joined with clusterWorker(). Answers the
 * primary's measurement requests for the battle test.
 */
import { parseServeFlags } from '../service/command-line.js';
import type { ParentToService, ServiceToParent } from '../service/control-messages.js';
import { createDemoService } from '../service/create-service.js';
import { clusterWorker } from 'spindle/cluster';

const settings = parseServeFlags(process.argv.slice(2));
const service = await createDemoService(settings.service);
await service.listen(settings.port, settings.host);
// The primary's messages for the battle test; spindle/cluster's own pass by (they carry `spindle: 'cluster'`).
process.on('message', (message: ParentToService | { readonly type?: unknown }) => {
  if (message.type === 'reset-measurements') service.measurements.reset();
  else if (message.type === 'report-measurements') {
    const reply: ServiceToParent = { type: 'measurements', report: service.measurements.report(), poolStats: service.runner.stats() ?? null };
    process.send?.(reply);
  }
});
await clusterWorker({
  server: service.app.server,
  ...(service.runner.pool === undefined ? {} : { pool: service.runner.pool }),
  // Fastify's own close (its onClose hooks, the dashboard streams) once the server has drained.
  beforeClose: () => service.close(),
  registry: service.metricsRegistry,
});
