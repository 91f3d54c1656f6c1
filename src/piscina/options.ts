import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { defaultThreadLimit, MAX_ASYNC_TASKS_PER_WORKER, resolveOptions, type ResolvedOptions } from '../options/resolve-options.js';
import type { PiscinaLoadBalancer } from './balancer.js';
import { PiscinaOptionError } from './errors.js';
import { ArrayTaskQueue, isTaskQueue, type TaskQueue } from './queues.js';

/** piscina's constructor options. */
export interface PiscinaOptions {
  filename?: string | null;
  name?: string;
  minThreads?: number;
  maxThreads?: number;
  idleTimeout?: number;
  maxQueue?: number | 'auto';
  concurrentTasksPerWorker?: number;
  atomics?: 'sync' | 'async' | 'disabled';
  /** piscina 3's name for `atomics`; accepted, as `atomics` is: Spindle's workers wake by their own means. */
  useAtomics?: boolean;
  resourceLimits?: ResourceLimits;
  argv?: string[];
  execArgv?: string[];
  env?: Record<string, string | undefined>;
  workerData?: unknown;
  taskQueue?: TaskQueue;
  niceIncrement?: number;
  trackUnmanagedFds?: boolean;
  closeTimeout?: number;
  recordTiming?: boolean;
  stricterFIFO?: boolean;
  workerHistogram?: boolean;
  /** Picks the worker for each task (see balancer.ts); piscina's least-busy placement when not given. */
  loadBalancer?: PiscinaLoadBalancer;
}

/** The options after defaults, as `pool.options` shows them. */
export interface FilledOptions extends PiscinaOptions {
  filename: string | null;
  name: string;
  minThreads: number;
  maxThreads: number;
  idleTimeout: number;
  maxQueue: number;
  concurrentTasksPerWorker: number;
  atomics: 'sync' | 'async' | 'disabled';
  taskQueue: TaskQueue;
  niceIncrement: number;
  closeTimeout: number;
  recordTiming: boolean;
  stricterFIFO: boolean;
  workerHistogram: boolean;
}

export function maybeFileURLToPath(filename: string): string {
  return filename.startsWith('file:') ? fileURLToPath(new URL(filename)) : filename;
}

function isNonNegativeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function check(valid: boolean, message: string): void {
  if (!valid) throw new PiscinaOptionError(message);
}

/** piscina's checks, with its messages (code matching on them keeps working). */
function validate(options: PiscinaOptions): void {
  const given = options as Record<string, unknown>;
  check(given.filename === undefined || given.filename === null || typeof given.filename === 'string', 'options.filename must be a string or null');
  check(given.name === undefined || given.name === null || typeof given.name === 'string', 'options.name must be a string or null');
  check(given.minThreads === undefined || isNonNegativeInteger(given.minThreads), 'options.minThreads must be a non-negative integer');
  check(given.maxThreads === undefined || (isNonNegativeInteger(given.maxThreads) && (given.maxThreads as number) >= 1), 'options.maxThreads must be a positive integer');
  if (options.minThreads !== undefined && options.maxThreads !== undefined) {
    check(options.minThreads <= options.maxThreads, 'options.minThreads and options.maxThreads must not conflict');
  }
  check(given.idleTimeout === undefined || given.idleTimeout === Infinity || isNonNegativeInteger(given.idleTimeout), 'options.idleTimeout must be a non-negative integer');
  check(given.maxQueue === undefined || given.maxQueue === 'auto' || given.maxQueue === Infinity || isNonNegativeInteger(given.maxQueue), 'options.maxQueue must be a non-negative integer');
  check(
    given.concurrentTasksPerWorker === undefined || (isNonNegativeInteger(given.concurrentTasksPerWorker) && (given.concurrentTasksPerWorker as number) >= 1),
    'options.concurrentTasksPerWorker must be a positive integer',
  );
  check(given.atomics === undefined || given.atomics === 'sync' || given.atomics === 'async' || given.atomics === 'disabled', 'options.atomics should be a value of sync, sync or disabled.');
  check(given.useAtomics === undefined || typeof given.useAtomics === 'boolean', 'options.useAtomics must be a boolean');
  check(given.resourceLimits === undefined || (typeof given.resourceLimits === 'object' && given.resourceLimits !== null), 'options.resourceLimits must be an object');
  check(!('taskQueue' in given) || isTaskQueue(given.taskQueue), 'options.taskQueue must be a TaskQueue object');
  check(given.niceIncrement === undefined || isNonNegativeInteger(given.niceIncrement), 'options.niceIncrement must be a non-negative integer on Unix systems');
  check(given.trackUnmanagedFds === undefined || typeof given.trackUnmanagedFds === 'boolean', 'options.trackUnmanagedFds must be a boolean value');
  check(given.closeTimeout === undefined || isNonNegativeInteger(given.closeTimeout), 'options.closeTimeout must be a non-negative integer');
  check(given.workerHistogram === undefined || typeof given.workerHistogram === 'boolean', 'options.workerHistogram must be a boolean');
  check(given.loadBalancer === undefined || (typeof given.loadBalancer === 'function' && given.loadBalancer.length >= 1), 'options.loadBalancer must be a function with at least two args');
  check(given.stricterFIFO === undefined || typeof given.stricterFIFO === 'boolean', 'options.stricterFIFO must be a boolean');
  check(given.recordTiming === undefined || typeof given.recordTiming === 'boolean', 'options.recordTiming must be a boolean');
  check(given.argv === undefined || (Array.isArray(given.argv) && given.argv.every((entry) => typeof entry === 'string')), 'options.argv must be an array of strings');
  check(given.execArgv === undefined || (Array.isArray(given.execArgv) && given.execArgv.every((entry) => typeof entry === 'string')), 'options.execArgv must be an array of strings');
  check(given.env === undefined || (typeof given.env === 'object' && given.env !== null), 'options.env must be an object');
}

/**
 * The options as given, own properties only (an option inherited through a
 * polluted `Object.prototype` is never read), checked, with piscina's
 * defaults filled in.
 */
export function fillOptions(options: unknown): FilledOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new PiscinaOptionError('options must be an object');
  const own = Object.assign(Object.create(null) as PiscinaOptions, options);
  validate(own);
  const parallelism = availableParallelism();
  let minThreads = own.minThreads ?? Math.max(Math.floor(parallelism / 2), 1);
  let maxThreads = own.maxThreads ?? parallelism * 1.5;
  if (own.maxThreads !== undefined && minThreads >= own.maxThreads) minThreads = own.maxThreads;
  if (own.minThreads !== undefined && maxThreads <= own.minThreads) maxThreads = own.minThreads;
  const maxQueue = own.maxQueue === 'auto' ? maxThreads ** 2 : (own.maxQueue ?? Infinity);
  return Object.assign(own, {
    filename: typeof own.filename === 'string' ? maybeFileURLToPath(own.filename) : null,
    name: own.name ?? 'default',
    minThreads,
    maxThreads,
    idleTimeout: own.idleTimeout ?? 0,
    maxQueue,
    concurrentTasksPerWorker: own.concurrentTasksPerWorker ?? 1,
    atomics: own.atomics ?? 'sync',
    taskQueue: own.taskQueue ?? new ArrayTaskQueue(),
    niceIncrement: own.niceIncrement ?? 0,
    closeTimeout: own.closeTimeout ?? 30_000,
    recordTiming: own.recordTiming ?? true,
    stricterFIFO: own.stricterFIFO ?? false,
    workerHistogram: own.workerHistogram ?? false,
  } satisfies Partial<FilledOptions>);
}

/** The longest timer Node keeps (a longer one fires at once): an `idleTimeout` of Infinity means this. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Spindle's options for the engine under a piscina pool. */
export function engineOptions(options: FilledOptions): ResolvedOptions {
  const env: Record<string, string> | undefined = options.env === undefined ? undefined : {};
  if (env !== undefined && options.env !== undefined) {
    for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  }
  // A null prototype: nothing inherited from a polluted Object.prototype (an `execArgv`, an `env`) is read as an option.
  const resolved = resolveOptions(Object.assign(Object.create(null) as object, {
    threads: { min: options.minThreads, max: Math.ceil(options.maxThreads) },
    threadLimit: Math.max(defaultThreadLimit(), Math.ceil(options.maxThreads)),
    idleTimeout: Math.min(options.idleTimeout, LONGEST_TIMER_MS),
    // piscina ends a worker at once when its task is aborted (its tasks get no signal to stop by).
    abortGrace: 0,
    name: 'piscina',
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    ...(env === undefined ? {} : { env }),
    ...(options.execArgv === undefined ? {} : { execArgv: options.execArgv }),
    ...(options.workerData === undefined ? {} : { workerData: options.workerData }),
  }));
  return Object.freeze({
    ...resolved,
    startEagerly: true,
    // piscina fails every task it had posted to a worker that dies, started or not.
    failUnstartedOnExit: true,
    sendLimitPerWorker: options.concurrentTasksPerWorker,
    asyncTasksPerWorker: Math.min(options.concurrentTasksPerWorker, MAX_ASYNC_TASKS_PER_WORKER),
    argv: options.argv,
    trackUnmanagedFds: options.trackUnmanagedFds,
  });
}
