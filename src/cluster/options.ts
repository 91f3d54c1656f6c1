import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planCluster, type ClusterPlan } from './plan.js';
import { expect, fail } from './validate.js';

/** Options of `startCluster()`. Only `worker` is required. */
export interface ClusterOptions {
  /**
   * The module each process runs: a file URL or a path (relative to the
   * current directory). It starts its server and pool, then calls
   * `clusterWorker()`, which reports the process ready.
   * @example new URL('./server.js', import.meta.url)
   */
  readonly worker: URL | string;
  /**
   * Processes to run.
   * @default computed by `planCluster()` from the cores: 1 below 4 cores, else max(2, cores / 4)
   */
  readonly processes?: number;
  /**
   * Pool threads in each process, handed to it as `SPINDLE_THREADS`: a
   * `Pool` created without a `threads` option takes it (an explicit `threads` wins).
   * @default computed by `planCluster()`: max(1, cores / processes - 1)
   */
  readonly threadsPerProcess?: number;
  /**
   * Run a plan that needs more cores (processes × (threads + 1)) than there are.
   * @default false: such a plan throws ERR_INVALID_OPTION
   */
  readonly oversubscribe?: boolean;
  /** Cores to plan for, e.g. a container's CPU quota. @default os.availableParallelism() */
  readonly cores?: number;
  /** Command-line arguments of each process. @default [] */
  readonly args?: readonly string[];
  /** Node flags of each process. @default process.execArgv */
  readonly execArgv?: readonly string[];
  /** Extra environment variables of each process, on top of `process.env`. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Discard the processes' stdout and stderr instead of sharing the primary's. @default false */
  readonly silent?: boolean;
  /**
   * Milliseconds a new process has to report ready (listening, pool warm).
   * Past it, it is killed: at start `ready` rejects with ERR_PROCESS_START_FAILED;
   * during a reload the reload stops with ERR_RELOAD_FAILED.
   * @default 30_000
   */
  readonly startTimeout?: number;
  /**
   * Milliseconds a draining process has to answer its requests in flight,
   * close its pool and exit, before it is killed (SIGKILL). Applies to
   * rolling restarts and to shutdown.
   * @default 10_000
   */
  readonly drainTimeout?: number;
  /**
   * Milliseconds between a process's heartbeats (its event-loop delay, memory and pool stats).
   * @default 1_000
   */
  readonly heartbeatInterval?: number;
  /**
   * The watchdog: milliseconds a ready process may go without a heartbeat
   * (its event loop blocked) before it is killed and replaced. `false` turns
   * the watchdog off. Must exceed `heartbeatInterval`.
   * @default 10_000
   */
  readonly unresponsiveTimeout?: number | false;
  /**
   * A process that exits before it is ready, or within this many milliseconds
   * of becoming ready, died early; repeated early deaths back off.
   * @default 5_000
   */
  readonly minUptime?: number;
  /**
   * Back-off after repeated early deaths: the first replacement is forked at
   * once, the next after this many milliseconds, doubling up to `maxRespawnDelay`.
   * @default 100
   */
  readonly respawnDelay?: number;
  /** The longest back-off between replacements. @default 15_000 */
  readonly maxRespawnDelay?: number;
  /**
   * A port on the primary that serves `GET /metrics` (the fleet's Prometheus
   * metrics, aggregated) and `GET /snapshot` (JSON). Needs prom-client.
   * @default undefined (no port)
   */
  readonly metricsPort?: number;
  /** The address `metricsPort` listens on. @default '127.0.0.1' */
  readonly metricsHost?: string;
  /**
   * Handle the primary's signals: SIGHUP reloads (rolling restart),
   * SIGTERM and SIGINT shut down gracefully, then exit the primary: 0, or
   * 1 when a process had to be killed. A second SIGTERM or SIGINT kills the
   * processes still draining.
   * @default true
   */
  readonly signals?: boolean;
  /**
   * Where the supervisor writes its lines (the plan, restarts, kills).
   * `false` for none.
   * @default console.log, each line starting with `[spindle-cluster]`
   */
  readonly log?: ((line: string) => void) | false;
}

/** The options after validation and defaults; frozen. */
export interface ResolvedClusterOptions {
  /** The worker module, an absolute path. */
  readonly file: string;
  readonly plan: ClusterPlan;
  readonly args: readonly string[];
  readonly execArgv: readonly string[] | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly silent: boolean;
  readonly startTimeout: number;
  readonly drainTimeout: number;
  readonly heartbeatInterval: number;
  readonly unresponsiveTimeout: number | false;
  readonly minUptime: number;
  readonly respawnDelay: number;
  readonly maxRespawnDelay: number;
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  readonly signals: boolean;
  readonly log: (line: string) => void;
}

const known = new Set([
  'worker',
  'processes',
  'threadsPerProcess',
  'oversubscribe',
  'cores',
  'args',
  'execArgv',
  'env',
  'silent',
  'startTimeout',
  'drainTimeout',
  'heartbeatInterval',
  'unresponsiveTimeout',
  'minUptime',
  'respawnDelay',
  'maxRespawnDelay',
  'metricsPort',
  'metricsHost',
  'signals',
  'log',
]);

/** Validates and defaults every option of `startCluster()`, in one place. */
export function resolveClusterOptions(options: ClusterOptions): ResolvedClusterOptions {
  if (typeof options !== 'object' || (options as unknown) === null) fail('options', 'an object with a `worker` module', options);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) fail(key, `one of the known options (${[...known].join(', ')})`, key);
  }
  const plan = planCluster({
    ...(options.processes === undefined ? {} : { processes: options.processes }),
    ...(options.threadsPerProcess === undefined ? {} : { threadsPerProcess: options.threadsPerProcess }),
    ...(options.cores === undefined ? {} : { cores: options.cores }),
    ...(options.oversubscribe === undefined ? {} : { oversubscribe: options.oversubscribe }),
  });
  const heartbeatInterval = options.heartbeatInterval === undefined ? 1_000 : expect.duration('heartbeatInterval', options.heartbeatInterval);
  const unresponsiveTimeout = resolveWatchdog(options.unresponsiveTimeout, heartbeatInterval);
  const respawnDelay = options.respawnDelay === undefined ? 100 : expect.duration('respawnDelay', options.respawnDelay);
  const maxRespawnDelay = options.maxRespawnDelay === undefined ? Math.max(15_000, respawnDelay) : expect.duration('maxRespawnDelay', options.maxRespawnDelay);
  if (maxRespawnDelay < respawnDelay) fail('maxRespawnDelay', `at least \`respawnDelay\` (${String(respawnDelay)})`, maxRespawnDelay);
  return Object.freeze({
    file: resolveWorkerFile(options.worker),
    plan,
    args: options.args === undefined ? [] : expect.strings('args', options.args),
    execArgv: options.execArgv === undefined ? undefined : expect.strings('execArgv', options.execArgv),
    env: resolveEnv(options.env),
    silent: options.silent === undefined ? false : expect.boolean('silent', options.silent),
    startTimeout: options.startTimeout === undefined ? 30_000 : expect.duration('startTimeout', options.startTimeout),
    drainTimeout: options.drainTimeout === undefined ? 10_000 : expect.duration('drainTimeout', options.drainTimeout),
    heartbeatInterval,
    unresponsiveTimeout,
    minUptime: options.minUptime === undefined ? 5_000 : expect.duration('minUptime', options.minUptime, true),
    respawnDelay,
    maxRespawnDelay,
    metricsPort: options.metricsPort === undefined ? undefined : expect.port('metricsPort', options.metricsPort),
    metricsHost: options.metricsHost === undefined ? '127.0.0.1' : expect.string('metricsHost', options.metricsHost),
    signals: options.signals === undefined ? true : expect.boolean('signals', options.signals),
    log: resolveLog(options.log),
  });
}

function resolveWorkerFile(worker: unknown): string {
  if (worker instanceof URL) {
    if (worker.protocol !== 'file:') fail('worker', 'a file: URL or a path', worker.href);
    return fileURLToPath(worker);
  }
  if (typeof worker !== 'string' || worker === '') fail('worker', 'a file URL or a path to the module each process runs', worker);
  if (worker.startsWith('file:')) return fileURLToPath(worker);
  return isAbsolute(worker) ? worker : resolve(worker);
}

function resolveWatchdog(value: unknown, heartbeatInterval: number): number | false {
  if (value === false) return false;
  if (value === undefined) return Math.max(10_000, heartbeatInterval * 2);
  const limit = expect.duration('unresponsiveTimeout', value);
  if (limit <= heartbeatInterval) fail('unresponsiveTimeout', `false or more than \`heartbeatInterval\` (${String(heartbeatInterval)} ms)`, value);
  return limit;
}

function resolveEnv(env: unknown): Readonly<Record<string, string>> {
  if (env === undefined) return Object.freeze({});
  if (typeof env !== 'object' || env === null || Array.isArray(env) || !Object.values(env).every((value) => typeof value === 'string')) fail('env', 'an object of strings', env);
  return Object.freeze({ ...(env as Record<string, string>) });
}

function resolveLog(log: unknown): (line: string) => void {
  if (log === false) return () => undefined;
  if (log === undefined) return (line) => { console.log(`[spindle-cluster] ${line}`); };
  if (typeof log !== 'function') fail('log', 'a function or false', log);
  return log as (line: string) => void;
}

/** Whether the worker module exists (checked before the first fork). */
export function workerFileExists(file: string): boolean {
  return existsSync(file);
}
