import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { invalidOption } from './expectations.js';
import { count, duration, optionalDuration, optionalFunction, positiveCount, positiveDuration } from './option-checks.js';
import type { PoolOptions } from './pool-options.js';
import type { Permissions } from '../runtime/permissions.js';

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
  readonly asyncTasksPerWorker: number;
  readonly maxHeapUsedBytes: number | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly execArgv: ((workerIndex: number) => readonly string[]) | undefined;
  readonly name: string;
  readonly busyPollUs: number;
  readonly workerData: unknown;
  readonly runtime: 'thread' | 'process';
  readonly permissions: Permissions | undefined;
  /**
   * Not a `PoolOptions` field: set by spindle/piscina, whose users expect
   * piscina's model. Workers start inside the call that asks for them
   * (the constructor, `run()`), and tasks are sent to a worker still
   * loading its module (its port holds them until it reads them).
   */
  readonly startEagerly: boolean;
  /**
   * The most tasks sent to one worker and not yet answered: the pool then
   * sends to the worker with the fewest. `asyncTasksPerWorker` when above 1;
   * spindle/piscina sets it to its `concurrentTasksPerWorker` even at 1.
   * Infinity: batches by backlog as usual.
   */
  readonly sendLimitPerWorker: number;
  /**
   * When a worker dies, the tasks it was sent and had not started fail with
   * its error instead of running elsewhere (piscina's model, for
   * spindle/piscina). The pool's own model, false, runs them elsewhere.
   */
  readonly failUnstartedOnExit: boolean;
  /** Not a `PoolOptions` field: `process.argv` additions of thread workers (spindle/piscina's `argv`). */
  readonly argv: readonly string[] | undefined;
  /** Not a `PoolOptions` field: Node's `trackUnmanagedFds` Worker option (spindle/piscina). */
  readonly trackUnmanagedFds: boolean | undefined;
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
  'asyncTasksPerWorker',
  'maxHeapUsedMb',
  'resourceLimits',
  'env',
  'execArgv',
  'name',
  'busyPollUs',
  'workerData',
  'runtime',
  'permissions',
]);

export function defaultThreadCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function defaultThreadLimit(): number {
  return Math.max(16, 4 * availableParallelism());
}

/** How long an idle thread worker polls its port for the next task, by default (µs). */
const THREAD_BUSY_POLL_US = 50;
/**
 * How long an idle process worker keeps its event loop turning for the next
 * task, by default (µs). Longer than a thread's: its answer wakes the pool's
 * process, which, asleep on another CPU of a VM, takes 60–100 µs to wake,
 * and the next task comes back after that. Polling 50 µs, the worker had gone
 * to sleep by then (one-at-a-time p50 150 µs on the 2-core VM); 150 µs or
 * more, it is still awake (65 µs). On one CPU with the pool, it made no
 * difference (23–37 µs).
 */
const PROCESS_BUSY_POLL_US = 200;

/** Validates and defaults every option, in one place. */
export function resolveOptions(options: PoolOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || (options as unknown) === null) invalidOption('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) invalidOption(key, `one of the known options (${[...known].join(', ')})`, key, 'an unknown option');
  }
  const threadLimit = positiveCount('threadLimit', options.threadLimit, defaultThreadLimit());
  const runtime = resolveRuntime(options.runtime);
  const { minThreads, maxThreads } = resolveThreads(options.threads, threadLimit);
  const maxHeapUsedMb = optionalDuration('maxHeapUsedMb', options.maxHeapUsedMb);
  const asyncTasksPerWorker = resolveAsyncTasksPerWorker(options.asyncTasksPerWorker, runtime);
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
    asyncTasksPerWorker,
    maxHeapUsedBytes: maxHeapUsedMb === undefined ? undefined : maxHeapUsedMb * 1024 * 1024,
    resourceLimits: resolveResourceLimits(options.resourceLimits),
    env: resolveEnv(options.env),
    execArgv: resolveExecArgv(options.execArgv),
    name: resolveName(options.name),
    busyPollUs: duration('busyPollUs', options.busyPollUs, runtime === 'process' ? PROCESS_BUSY_POLL_US : THREAD_BUSY_POLL_US),
    workerData: resolveWorkerData(options.workerData),
    runtime,
    permissions: resolvePermissions(options.permissions, runtime),
    startEagerly: false,
    sendLimitPerWorker: asyncTasksPerWorker > 1 ? asyncTasksPerWorker : Infinity,
    failUnstartedOnExit: false,
    argv: undefined,
    trackUnmanagedFds: undefined,
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
      if (!Number.isInteger(size) || size < 1 || size > limit) invalidOption(THREADS_VARIABLE, `an integer from 1 to threadLimit (${String(limit)}) in the environment`, fromEnvironment);
      return { minThreads: size, maxThreads: size };
    }
    const size = Math.min(defaultThreadCount(), limit);
    return { minThreads: size, maxThreads: size };
  }
  if (typeof threads === 'number') {
    if (!Number.isInteger(threads) || threads < 1 || threads > limit) invalidOption('threads', `an integer from 1 to threadLimit (${String(limit)}) or { min, max }`, threads);
    return { minThreads: threads, maxThreads: threads };
  }
  if (typeof threads !== 'object' || (threads as unknown) === null) invalidOption('threads', `an integer from 1 to threadLimit (${String(limit)}) or { min, max }`, threads);
  const max = threads.max ?? Math.min(Math.max(defaultThreadCount(), threads.min ?? 0), limit);
  if (!Number.isInteger(max) || max < 1 || max > limit) invalidOption('threads.max', `an integer from 1 to threadLimit (${String(limit)})`, threads.max);
  const min = threads.min ?? 0;
  if (!Number.isInteger(min) || min < 0 || min > max) invalidOption('threads.min', `an integer from 0 to threads.max (${String(max)})`, threads.min);
  return { minThreads: min, maxThreads: max };
}

function resolveResourceLimits(value: ResourceLimits | undefined): ResourceLimits | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || (value as unknown) === null) invalidOption('resourceLimits', 'an object', value);
  for (const [key, limit] of Object.entries(value)) {
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) invalidOption(`resourceLimits.${key}`, 'a finite number > 0', limit);
  }
  return Object.freeze({ ...value });
}

function resolveEnv(value: PoolOptions['env']): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    const env: Record<string, string> = {};
    for (const name of value as readonly unknown[]) {
      if (typeof name !== 'string') invalidOption('env', 'an object of strings or an array of variable names', name);
      const variable = process.env[name];
      if (variable !== undefined) env[name] = variable;
    }
    return Object.freeze(env);
  }
  if (typeof value !== 'object' || (value as unknown) === null) invalidOption('env', 'an object of strings or an array of variable names', value);
  for (const [key, variable] of Object.entries(value)) {
    if (typeof variable !== 'string') invalidOption(`env.${key}`, 'a string', variable);
  }
  return Object.freeze({ ...(value as Record<string, string>) });
}

function resolveExecArgv(value: PoolOptions['execArgv']): ((workerIndex: number) => readonly string[]) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value;
  const flags: readonly unknown[] = Array.isArray(value) ? Object.freeze([...(value as readonly unknown[])]) : [];
  if (!Array.isArray(value) || !flags.every((flag) => typeof flag === 'string')) invalidOption('execArgv', 'an array of strings or a function', value);
  const strings = flags;
  return () => strings;
}

function resolveWorkerData(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    structuredClone(value);
  } catch (error) {
    invalidOption('workerData', `a value structured clone can copy (${error instanceof Error ? error.message : String(error)})`, value);
  }
  return value;
}

function resolveName(value: string | undefined): string {
  if (value === undefined) return 'spindle';
  if (typeof value !== 'string' || value.length === 0) invalidOption('name', 'a non-empty string', value);
  return value;
}

/** The most `asyncTasksPerWorker` allows: each task running at once has a start-table entry in shared memory. */
export const MAX_ASYNC_TASKS_PER_WORKER = 1024;

function resolveAsyncTasksPerWorker(value: number | undefined, runtime: 'thread' | 'process'): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ASYNC_TASKS_PER_WORKER) {
    invalidOption('asyncTasksPerWorker', `an integer from 1 to ${String(MAX_ASYNC_TASKS_PER_WORKER)}`, value);
  }
  // Which of several tasks a process had started when it died can only be read from memory it shares.
  if (value > 1 && runtime !== 'thread') invalidOption('asyncTasksPerWorker', "1 with runtime: 'process' (several tasks at once need runtime: 'thread')", value);
  return value;
}

function resolveRuntime(value: unknown): 'thread' | 'process' {
  if (value === undefined) return 'thread';
  if (value !== 'thread' && value !== 'process') invalidOption('runtime', "'thread' or 'process'", value);
  return value;
}

const PERMISSION_LISTS = ['fsRead', 'fsWrite'] as const;
const PERMISSION_SWITCHES = ['childProcess', 'worker', 'addons', 'wasi'] as const;

function resolvePermissions(value: Permissions | undefined, runtime: 'thread' | 'process'): Permissions | undefined {
  if (value === undefined) return undefined;
  if (runtime !== 'process') invalidOption('permissions', "used with runtime: 'process' (threads share their process's permissions)", value);
  if (typeof value !== 'object' || (value as unknown) === null) invalidOption('permissions', 'an object', value);
  const known: readonly string[] = [...PERMISSION_LISTS, ...PERMISSION_SWITCHES];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) invalidOption(`permissions.${key}`, `one of ${known.join(', ')}`, key, 'an unknown permission');
  }
  for (const key of PERMISSION_LISTS) {
    const paths: unknown = value[key];
    if (paths !== undefined && (!Array.isArray(paths) || !paths.every((path) => typeof path === 'string' && path.length > 0))) {
      invalidOption(`permissions.${key}`, 'an array of paths', paths);
    }
  }
  for (const key of PERMISSION_SWITCHES) {
    const allowed: unknown = value[key];
    if (allowed !== undefined && typeof allowed !== 'boolean') invalidOption(`permissions.${key}`, 'a boolean', allowed);
  }
  return Object.freeze({
    ...value,
    ...(value.fsRead === undefined ? {} : { fsRead: Object.freeze([...value.fsRead]) }),
    ...(value.fsWrite === undefined ? {} : { fsWrite: Object.freeze([...value.fsWrite]) }),
  });
}
