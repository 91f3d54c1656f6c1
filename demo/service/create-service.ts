import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { createInlineRunner } from './inline-runner.js';
import { DashboardFrames } from './dashboard-frames.js';
import { createFleetRunner } from './fleet-runner.js';
import { LiveFeed } from './live-feed.js';
import { installOverloadHandling } from './overload.js';
import { createPooledRunner } from './pooled-runner.js';
import { RequestRecorder } from './request-recorder.js';
import { registerCsvRoutes } from './routes/csv.js';
import { registerDashboardRoutes } from './routes/dashboard.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerInvoiceRoutes } from './routes/invoices.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerPasswordRoutes } from './routes/passwords.js';
import { registerThumbnailRoutes } from './routes/thumbnails.js';
import { ServiceMeasurements } from './service-measurements.js';
import type { ExecutionMode, TaskRunner } from './task-runner.js';

export interface DemoServiceOptions {
  /** `'pooled'` runs the work in a Spindle pool; `'inline'` on the event loop; `'fleet'` on the BullMQ fleet at `fleetUrl`. */
  readonly mode: ExecutionMode;
  /** The fleet's Redis, for mode `'fleet'` (`--fleet redis://…`). */
  readonly fleetUrl?: string;
  /** Worker threads of the pool. @default Spindle's default (cores - 1, at least 1) */
  readonly threads?: number;
  /** Tasks that may wait for a worker; beyond it requests get 503. @default 64 */
  readonly maxQueue?: number;
  /** Largest upload, in bytes. @default 32 MiB */
  readonly maxUploadBytes?: number;
  /** Milliseconds between dashboard frames. @default 500 */
  readonly dashboardIntervalMs?: number;
  /** Fastify's request log. @default false */
  readonly logger?: boolean;
}

export interface DemoService {
  readonly app: FastifyInstance;
  readonly runner: TaskRunner;
  readonly measurements: ServiceMeasurements;
  /** The registry behind `GET /metrics` (spindle/cluster's fleet metrics read it too). */
  readonly metricsRegistry: Registry;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:40123`. */
  listen(port?: number, host?: string): Promise<string>;
  /** Ends dashboard streams, stops the server, then finishes the pool's work and closes it. */
  close(): Promise<void>;
}

/** Paths whose requests do heavy work; the dashboard charts their latency. */
const WORK_ROUTES = new Set(['/invoices', '/thumbnails', '/passwords/hash', '/csv']);

/** The demo HTTP service, pooled or inline. */
export async function createDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const maxQueue = options.maxQueue ?? 64;
  const runner =
    options.mode === 'fleet'
      ? createFleetRunner({ redisUrl: options.fleetUrl ?? 'redis://127.0.0.1:6379', maxInFlight: maxQueue })
      : options.mode === 'pooled'
        ? createPooledRunner({ maxQueue, ...(options.threads === undefined ? {} : { threads: options.threads }) })
        : createInlineRunner();
  const measurements = new ServiceMeasurements();
  const recorder = new RequestRecorder();
  const feed = new LiveFeed(new DashboardFrames(runner, recorder, maxQueue), options.dashboardIntervalMs ?? 500);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 8 * 1024 * 1024 });

  await app.register(multipart, { limits: { fileSize: options.maxUploadBytes ?? 32 * 1024 * 1024, files: 1, fields: 10 } });
  const metrics = registerMetricsRoutes(app, runner.pool);
  installOverloadHandling(app, runner, metrics.countShed);
  app.addHook('onResponse', (request, reply, done) => {
    if (WORK_ROUTES.has(request.routeOptions.url ?? '')) recorder.record(reply.statusCode, reply.elapsedTime);
    done();
  });
  registerHealthRoutes(app, runner.mode);
  registerInvoiceRoutes(app, runner);
  registerThumbnailRoutes(app, runner);
  registerPasswordRoutes(app, runner);
  registerCsvRoutes(app, runner);
  registerDashboardRoutes(app, feed);
  app.addHook('preClose', (done) => {
    feed.close();
    done();
  });
  await runner.ready;

  let closed: Promise<void> | undefined;
  return {
    app,
    runner,
    measurements,
    metricsRegistry: metrics.registry,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('The server has no TCP address');
      return `http://${host.includes(':') ? `[${host}]` : host}:${String(address.port)}`;
    },
    close() {
      closed ??= (async () => {
        await app.close();
        await runner.close();
        measurements.stop();
      })();
      return closed;
    },
  };
}
