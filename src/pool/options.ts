import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { InvalidOptionError } from '../errors.js';

/** Options of `new Pool(module, options)`. Every option is optional. */
export interface PoolOptions {
  /**
   * Number of worker threads: a fixed count, or `{ min, max }` for a pool that
   * grows under queue pressure and retires idle workers after `idleTimeout`.
   * At most `threadLimit`.
   * @default the `SPINDLE_THREADS` environment variable if set (a supervisor such as `spindle/cluster` sets it), else `Math.max(1, os.availableParallelism() - 1)`
   * @example { threads: 4 } or { threads: { min: 0, max: 8 } }
   */
  readonly threads?: number | { readonly min?: number; readonly max?: number };
  /**
   * The most workers `threads` may ask for: a guard against a typo such as
   * `threads: 10000`, which would need tens of gigabytes (each worker is a V8
   * isolate of its own). Raise it when you mean it.
   * @default Math.max(16, 4 * os.availableParallelism())
   */
  readonly threadLimit?: number;
  /**
   * Milliseconds a worker may take to load the task module. Past it, the load
   * counts as failed: the worker is ended, `pool.ready` rejects with
   * `ERR_WORKER_START_FAILED` naming the module, and the pool is degraded
   * while it retries with back-off.
   * @default 30_000
   */
  readonly startTimeout?: number;
  /**
   * Milliseconds a worker that runs no task may leave tasks it was sent
   * unstarted (or unanswered) before it counts as unresponsive: its event
   * loop is blocked outside any task, or it no longer reads its messages.
   * Its tasks are taken back to run elsewhere (none can start twice) and it
   * is replaced.
   * @default 3_000
   */
  readonly unresponsiveTimeout?: number;
  /**
   * Milliseconds an idle worker above `min` lives before it is retired.
   * @default 30_000
   */
  readonly idleTimeout?: number;
  /**
   * Most tasks waiting in the queue; past it `run()` rejects at once with
   * `ERR_QUEUE_FULL` and the pool emits `backpressure`. A task that an idle
   * worker takes at once does not wait, so `maxQueue: 0` means "run now or reject".
   * @default Infinity
   */
  readonly maxQueue?: number;
  /**
   * Default run-time limit of a task in milliseconds, counted from the moment
   * it starts running. On expiry the task rejects with `ERR_TASK_TIMEOUT`.
   * @default undefined (no limit)
   */
  readonly timeout?: number;
  /**
   * Default limit in milliseconds on how long a task may wait in the queue
   * before it starts; on expiry it rejects with `ERR_QUEUE_TIMEOUT`.
   * @default undefined (no limit)
   */
  readonly queueTimeout?: number;
  /**
   * Default number of extra attempts for a task whose worker died or which
   * timed out. Errors thrown by the task itself are not retried unless
   * `retryOn` says so.
   * @default 0
   */
  readonly retries?: number;
  /**
   * Decides whether a failed attempt is retried (while retries remain).
   * @default retry on ERR_WORKER_EXITED, ERR_WORKER_OUT_OF_MEMORY and ERR_TASK_TIMEOUT only
   */
  readonly retryOn?: (error: Error) => boolean;
  /**
   * Milliseconds a running task has to stop by itself after it is aborted or
   * times out, before its worker is ended and replaced.
   * @default 100
   */
  readonly abortGrace?: number;
  /**
   * Replace a worker after it has run this many tasks.
   * @default Infinity
   */
  readonly maxTasksPerWorker?: number;
  /**
   * Replace a worker when its JavaScript heap exceeds this many megabytes
   * after a task. The task itself succeeds.
   * @default undefined (no limit)
   */
  readonly maxHeapUsedMb?: number;
  /** V8 heap limits of each worker, as in `new Worker()`. */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Environment of the workers: an object to use as is, or a list of variable
   * names to copy from `process.env`.
   * @default a copy of process.env (Node's default)
   */
  readonly env?: Readonly<Record<string, string>> | readonly string[];
  /**
   * Node flags of each worker; a function receives the worker's index, e.g.
   * to give each worker its own inspector port.
   * @default process.execArgv
   */
  readonly execArgv?: readonly string[] | ((workerIndex: number) => readonly string[]);
  /**
   * Any value structured clone can copy, given to every worker: `workerData`
   * from `node:worker_threads` (or from `spindle/worker`) in the task module,
   * and the `workerData` of its `setup(context)` export. Checked when the
   * pool is created.
   * @default undefined
   */
  readonly workerData?: unknown;
  /** Name shown for the workers in debuggers and heap snapshots. @default 'spindle' */
  readonly name?: string;
  /**
   * Microseconds a thread keeps polling instead of sleeping when the next
   * message is likely to come soon: a worker that has just run out of tasks,
   * and the pool's event loop while short tasks are out. Waking a sleeping
   * thread costs 5 to 70 µs, more than a short task; polling trades that for
   * at most this much CPU time per idle spell. 0 turns it off.
   * @default 50
   */
  readonly busyPollUs?: number;
}

/** Options after validation and defaults; frozen. */
export interface ResolvedOptions {
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly startTimeout: number;
  readonly unresponsiveTimeout: number;
  readonly idleTimeout: number;
  readonly maxQueue: number;
  readonly timeout: number | undefined;
  readonly queueTimeout: number | undefined;
  readonly retries: number;
  readonly retryOn: ((error: Error) => boolean) | undefined;
  readonly abortGrace: number;
  readonly maxTasksPerWorker: number;
  readonly maxHeapUsedBytes: number | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly execArgv: ((workerIndex: number) => readonly string[]) | undefined;
  readonly name: string;
  readonly busyPollUs: number;
  readonly workerData: unknown;
}

const known = new Set([
  'threads',
  'threadLimit',
  'startTimeout',
  'unresponsiveTimeout',
  'idleTimeout',
  'maxQueue',
  'timeout',
  'queueTimeout',
  'retries',
  'retryOn',
  'abortGrace',
  'maxTasksPerWorker',
  'maxHeapUsedMb',
  'resourceLimits',
  'env',
  'execArgv',
  'name',
  'busyPollUs',
  'workerData',
]);

export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function defaultThreadLimit(): number {
  return Math.max(16, 4 * availableParallelism());
}

/** Validates and defaults every option, in one place. */
export function resolveOptions(options: PoolOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || (options as unknown) === null) fail('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) fail(key, `one of the known options (${[...known].join(', ')})`, key, 'an unknown option');
  }
  const threadLimit = positiveCount('threadLimit', options.threadLimit, defaultThreadLimit());
  const { minThreads, maxThreads } = resolveThreads(options.threads, threadLimit);
  const maxHeapUsedMb = optionalDuration('maxHeapUsedMb', options.maxHeapUsedMb);
  return Object.freeze({
    minThreads,
    maxThreads,
    startTimeout: positiveDuration('startTimeout', options.startTimeout, 30_000),
    unresponsiveTimeout: positiveDuration('unresponsiveTimeout', options.unresponsiveTimeout, 3_000),
    idleTimeout: duration('idleTimeout', options.idleTimeout, 30_000),
    maxQueue: count('maxQueue', options.maxQueue, Infinity, true),
    timeout: optionalDuration('timeout', options.timeout),
    queueTimeout: optionalDuration('queueTimeout', options.queueTimeout),
    retries: count('retries', options.retries, 0, false),
    retryOn: optionalFunction('retryOn', options.retryOn),
    abortGrace: duration('abortGrace', options.abortGrace, 100),
    maxTasksPerWorker: positiveCount('maxTasksPerWorker', options.maxTasksPerWorker, Infinity),
    maxHeapUsedBytes: maxHeapUsedMb === undefined ? undefined : maxHeapUsedMb * 1024 * 1024,
    resourceLimits: resolveResourceLimits(options.resourceLimits),
    env: resolveEnv(options.env),
    execArgv: resolveExecArgv(options.execArgv),
    name: resolveName(options.name),
    busyPollUs: duration('busyPollUs', options.busyPollUs, 50),
    workerData: resolveWorkerData(options.workerData),
  });
}

/**
 * The environment variable that sets the thread count of a pool created
 * without a `threads` option: a process supervisor (spindle/cluster) sizes
 * the pools of the processes it starts with it. An explicit `threads` wins.
 */
export const THREADS_VARIABLE = 'SPINDLE_THREADS';

function resolveThreads(threads: PoolOptions['threads'], limit: number): { minThreads: number; maxThreads: number } {
  if (threads === undefined) {
    const fromEnvironment = process.env[THREADS_VARIABLE];
    if (fromEnvironment !== undefined && fromEnvironment !== '') {
      const size = Number(fromEnvironment);
      if (!Number.isInteger(size) || size < 1 || size > limit) fail(THREADS_VARIABLE, `an integer from 1 to threadLimit (${String(limit)}) in the environment`, fromEnvironment);
      return { minThreads: size, maxThreads: size };
    }
    const size = Math.min(defaultThreadCount(), limit);
    return { minThreads: size, maxThreads: size };
  }
  if (typeof threads === 'number') {
    if (!Number.isInteger(threads) || threads < 1 || threads > limit) fail('threads', `an integer from 1 to threadLimit (${String(limit)}) or { min, max }`, threads);
    return { minThreads: threads, maxThreads: threads };
  }
  if (typeof threads !== 'object' || (threads as unknown) === null) fail('threads', `an integer from 1 to threadLimit (${String(limit)}) or { min, max }`, threads);
  const max = threads.max ?? Math.min(Math.max(defaultThreadCount(), threads.min ?? 0), limit);
  if (!Number.isInteger(max) || max < 1 || max > limit) fail('threads.max', `an integer from 1 to threadLimit (${String(limit)})`, threads.max);
  const min = threads.min ?? 0;
  if (!Number.isInteger(min) || min < 0 || min > max) fail('threads.min', `an integer from 0 to threads.max (${String(max)})`, threads.min);
  return { minThreads: min, maxThreads: max };
}

function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(name, 'a finite number >= 0', value);
  return value;
}

function optionalDuration(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(name, 'a finite number > 0', value);
  return value;
}

function count(name: string, value: number | undefined, fallback: number, allowInfinity: boolean): number {
  if (value === undefined) return fallback;
  const valid = typeof value === 'number' && value >= 0 && (Number.isInteger(value) || (allowInfinity && value === Infinity));
  if (!valid) fail(name, allowInfinity ? 'an integer >= 0 or Infinity' : 'an integer >= 0', value);
  return value;
}

function positiveDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(name, 'a finite number > 0', value);
  return value;
}

function positiveCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const valid = typeof value === 'number' && value >= 1 && (Number.isInteger(value) || value === Infinity);
  if (!valid) fail(name, 'an integer >= 1 or Infinity', value);
  return value;
}

function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') fail(name, 'a function', value);
  return value;
}

function resolveResourceLimits(value: ResourceLimits | undefined): ResourceLimits | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || (value as unknown) === null) fail('resourceLimits', 'an object', value);
  for (const [key, limit] of Object.entries(value)) {
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) fail(`resourceLimits.${key}`, 'a finite number > 0', limit);
  }
  return Object.freeze({ ...value });
}

function resolveEnv(value: PoolOptions['env']): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    const env: Record<string, string> = {};
    for (const name of value as readonly unknown[]) {
      if (typeof name !== 'string') fail('env', 'an object of strings or an array of variable names', name);
      const variable = process.env[name];
      if (variable !== undefined) env[name] = variable;
    }
    return Object.freeze(env);
  }
  if (typeof value !== 'object' || (value as unknown) === null) fail('env', 'an object of strings or an array of variable names', value);
  for (const [key, variable] of Object.entries(value)) {
    if (typeof variable !== 'string') fail(`env.${key}`, 'a string', variable);
  }
  return Object.freeze({ ...(value as Record<string, string>) });
}

function resolveExecArgv(value: PoolOptions['execArgv']): ((workerIndex: number) => readonly string[]) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value;
  const flags: readonly unknown[] = Array.isArray(value) ? Object.freeze([...(value as readonly unknown[])]) : [];
  if (!Array.isArray(value) || !flags.every((flag) => typeof flag === 'string')) fail('execArgv', 'an array of strings or a function', value);
  const strings = flags;
  return () => strings;
}

function resolveWorkerData(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    structuredClone(value);
  } catch (error) {
    fail('workerData', `a value structured clone can copy (${error instanceof Error ? error.message : String(error)})`, value);
  }
  return value;
}

function resolveName(value: string | undefined): string {
  if (value === undefined) return 'spindle';
  if (typeof value !== 'string' || value.length === 0) fail('name', 'a non-empty string', value);
  return value;
}

/** Throws ERR_INVALID_OPTION in one format: Expected `x` to be ..., got `v` (type). */
export function fail(name: string, expected: string, given: unknown, kind?: string): never {
  throw new InvalidOptionError(`Expected \`${name}\` to be ${expected}, got \`${show(given)}\` (${kind ?? typeName(given)})`);
}

function show(value: unknown): string {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
