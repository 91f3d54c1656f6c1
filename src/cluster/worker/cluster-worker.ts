import { once } from 'node:events';
import { MetricsTimeoutError } from '../errors.js';
import type { PoolStats } from '../../index.js';
import { ENVIRONMENT, isClusterMessage, type PrimaryMessage, type ProcessMessage } from '../protocol.js';
import { fail } from '../validate.js';
import { HeartbeatMonitor } from './heartbeat.js';
import { HttpDrain, type DrainableServer } from '../../http/http-drain.js';
import { localMetrics, localMetricsText, type MetricsRegistry } from './metrics-source.js';

/** A pool `clusterWorker()` waits for and closes: a Spindle `Pool`. */
export interface DrainablePool {
  readonly ready: Promise<unknown>;
  close(): Promise<void>;
  stats(): PoolStats;
}

/** Options of `clusterWorker()`, called in each process once its server listens. */
export interface ClusterWorkerOptions {
  /**
   * The HTTP server to drain: it stops accepting, keep-alive connections get
   * `Connection: close`, idle ones are ended, and requests in flight finish.
   * The process is ready once it listens.
   */
  readonly server?: DrainableServer;
  /** The process's pool: ready once `pool.ready` resolved; closed (its work finished) after the server. */
  readonly pool?: DrainablePool;
  /**
   * Awaited after the server has stopped and before the pool closes: stop
   * whatever else feeds the pool (`() => app.close()` for Fastify, a queue
   * consumer). An error it throws is printed; the drain goes on.
   */
  readonly beforeClose?: () => unknown;
  /**
   * The metrics this process adds to the fleet's (`GET /metrics` of any
   * process, or the primary's `metricsPort`).
   * @default prom-client's global registry, if prom-client is installed
   */
  readonly registry?: MetricsRegistry;
  /**
   * Drain on SIGTERM and SIGINT too (Ctrl-C reaches every process of the
   * terminal's process group), and on its own, outside a cluster.
   * @default true
   */
  readonly signals?: boolean;
}

/** The process's side of the cluster, from `clusterWorker()`. */
export interface ClusterWorker {
  /** Started by a `spindle/cluster` supervisor; false when the module runs on its own. */
  readonly supervised: boolean;
  /** Its slot in the fleet (0 to processes - 1); undefined on its own. */
  readonly slot: number | undefined;
  readonly draining: boolean;
  /** Drains now (server, `beforeClose`, pool), then exits the process: 0, or 1 if a step threw. */
  drain(): Promise<void>;
  /**
   * The Prometheus text of the whole fleet, aggregated by the primary; of
   * this process alone when it runs on its own.
   * @example app.get('/metrics', async (_request, reply) => reply.type(metricsContentType).send(await worker.fleetMetrics()))
   */
  fleetMetrics(): Promise<string>;
}

const FLEET_METRICS_TIMEOUT_MS = 10_000;

/**
 * Joins this process to its cluster: installs the drain (on the primary's
 * word, SIGTERM or SIGINT), waits until `server` listens and `pool.ready`
 * resolved, then reports the process ready and starts its heartbeats.
 * Outside a cluster it does the same minus the reports, so the module also
 * runs on its own (`node server.js`) and drains on SIGTERM.
 */
export async function clusterWorker(options: ClusterWorkerOptions = {}): Promise<ClusterWorker> {
  checkOptions(options);
  const heartbeatInterval = Number(process.env[ENVIRONMENT.heartbeatInterval]);
  const supervised = process.send !== undefined && Number.isFinite(heartbeatInterval) && heartbeatInterval > 0;
  const slot = supervised ? Number(process.env[ENVIRONMENT.slot]) : undefined;
  const httpDrain = options.server === undefined ? undefined : new HttpDrain(options.server);
  const pool = options.pool;
  const monitor = new HeartbeatMonitor(pool === undefined ? undefined : () => pool.stats());
  const send = (message: ProcessMessage): void => {
    if (process.connected) process.send?.(message);
  };
  const fleetRequests = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextRequestId = 1;
  let draining: Promise<void> | undefined;

  const drain = (): Promise<void> => {
    draining ??= (async () => {
      send({ spindle: 'cluster', type: 'draining' });
      const outcome = { failed: false };
      const attempt = async (step: string, run: () => unknown): Promise<void> => {
        try {
          await run();
        } catch (error) {
          outcome.failed = true;
          console.error(`[spindle-cluster] pid ${String(process.pid)}: ${step} failed during the drain:`, error);
        }
      };
      await attempt('stopping the server', () => httpDrain?.drain());
      await attempt('beforeClose', () => options.beforeClose?.());
      await attempt('closing the pool', () => pool?.close());
      monitor.stop();
      process.exit(outcome.failed ? 1 : 0);
    })();
    return draining;
  };

  const onMessage = (message: unknown): void => {
    if (!isClusterMessage(message)) return;
    const received = message as PrimaryMessage;
    if (received.type === 'drain') {
      void drain();
    } else if (received.type === 'metrics-request') {
      localMetrics(options.registry).then(
        (metrics) => {
          send({ spindle: 'cluster', type: 'metrics', requestId: received.requestId, metrics });
        },
        (error: unknown) => {
          send({ spindle: 'cluster', type: 'metrics', requestId: received.requestId, metrics: [], error: String(error) });
        },
      );
    } else {
      const request = fleetRequests.get(received.requestId);
      fleetRequests.delete(received.requestId);
      if (received.error === undefined) request?.resolve(received.text);
      else request?.reject(new Error(`The primary could not collect the fleet's metrics: ${received.error}`));
    }
  };
  if (supervised) {
    process.on('message', onMessage);
    // A SIGHUP sent to the whole process group is the primary's to act on (a rolling restart).
    process.on('SIGHUP', () => undefined);
  }
  if (options.signals !== false) {
    process.once('SIGTERM', () => void drain());
    process.once('SIGINT', () => void drain());
  }

  await pool?.ready;
  if (options.server !== undefined && !options.server.listening) await once(options.server as unknown as NodeJS.EventEmitter, 'listening');
  if (supervised) {
    send({ spindle: 'cluster', type: 'ready', drainable: true, heartbeat: monitor.measure() });
    monitor.start(heartbeatInterval, (heartbeat) => {
      send({ spindle: 'cluster', type: 'heartbeat', heartbeat });
    });
  }

  return {
    supervised,
    slot,
    get draining() {
      return draining !== undefined;
    },
    drain,
    fleetMetrics() {
      if (!supervised) return localMetricsText(options.registry);
      const requestId = nextRequestId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          fleetRequests.delete(requestId);
          reject(new MetricsTimeoutError(`The primary did not send the fleet's metrics within ${String(FLEET_METRICS_TIMEOUT_MS)} ms`));
        }, FLEET_METRICS_TIMEOUT_MS);
        fleetRequests.set(requestId, {
          resolve: (text) => {
            clearTimeout(timer);
            resolve(text);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        send({ spindle: 'cluster', type: 'fleet-metrics-request', requestId });
      });
    },
  };
}

function checkOptions(options: ClusterWorkerOptions): void {
  if (typeof options !== 'object' || (options as unknown) === null) fail('options', 'an object', options);
  const { server, pool, beforeClose, registry, signals } = options;
  if (server !== undefined && (typeof server.close !== 'function' || typeof server.prependListener !== 'function')) fail('server', 'a node:http or node:https server', server);
  if (pool !== undefined && (typeof pool.close !== 'function' || typeof pool.stats !== 'function' || !(pool.ready instanceof Promise))) fail('pool', 'a Spindle Pool', pool);
  if (beforeClose !== undefined && typeof beforeClose !== 'function') fail('beforeClose', 'a function', beforeClose);
  if (registry !== undefined && (typeof registry.getMetricsAsJSON !== 'function' || typeof registry.metrics !== 'function')) fail('registry', 'a prom-client Registry', registry);
  if (signals !== undefined && typeof signals !== 'boolean') fail('signals', 'a boolean', signals);
}
