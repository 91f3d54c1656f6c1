/**
 * The options of `QueuePool` and of its `run()` and `map()`, validated in
 * one place into frozen settings. A wrong one throws, naming it, what was
 * expected and what was given: ERR_INVALID_OPTION from the constructor,
 * ERR_INVALID_ARGUMENT from a call.
 */
import type { BackoffOptions, JobsOptions, KeepJobs } from 'bullmq';
import { InvalidOptionError, type RunOptions } from '../index.js';
import { validateConnection, validateQueueName, type FleetConnection } from './connection.js';
import { invalid, invalidOption } from './validation.js';

/** Options of `new QueuePool()`. */
export interface QueuePoolOptions {
  /** The BullMQ queue that the fleet's `serveQueue()` nodes serve. */
  readonly queue: string;
  /** The Redis of the queue. */
  readonly connection: FleetConnection;
  /** BullMQ's key prefix; the nodes must use the same. @default 'bull' */
  readonly prefix?: string;
  /** Default run-time limit (ms) of a job, counted on the node from the start of its task; on expiry: ERR_TASK_TIMEOUT. @default none */
  readonly timeout?: number;
  /** Default limit (ms) on the wait before a job starts; on expiry the waiting job is removed and the call rejects with ERR_QUEUE_TIMEOUT. @default none */
  readonly queueTimeout?: number;
  /** Default extra attempts of a failed job (BullMQ's `attempts` is `retries + 1`). @default 0 */
  readonly retries?: number;
  /** Default delay before a retry: ms (fixed), or BullMQ's `{ type: 'fixed' | 'exponential', delay, jitter }`. @default no delay */
  readonly backoff?: number | BackoffOptions;
  /** Most jobs submitted and not yet settled; past it `run()` rejects at once with ERR_QUEUE_FULL. @default Infinity */
  readonly maxInFlight?: number;
  /**
   * How long BullMQ keeps a finished job. A producer that missed a job's
   * event (say, while Redis restarted) finds the result in the job, so keep
   * them longer than an outage may last.
   * @default { removeOnComplete: { age: 3600, count: 100_000 }, removeOnFail: { age: 86_400 } }
   */
  readonly jobRetention?: { readonly removeOnComplete?: boolean | number | KeepJobs; readonly removeOnFail?: boolean | number | KeepJobs };
  /** Milliseconds after which a job that sent no event is looked up in Redis (found finished, or gone: ERR_JOB_LOST). @default 5000 */
  readonly checkInterval?: number;
}

/** Per-call options of `queuePool.run()`: those of `pool.run()` that a queue can honour, and BullMQ's `backoff` and `delay`. */
export interface QueueRunOptions extends Pick<RunOptions, 'signal' | 'timeout' | 'queueTimeout' | 'retries' | 'onProgress' | 'onEvent'> {
  /** Higher runs first, FIFO within a priority: an integer from -1,048,575 to 1,048,575 (BullMQ's priorities, reversed). @default 0 */
  readonly priority?: number;
  /** Delay before a retry. @default the QueuePool's `backoff` */
  readonly backoff?: number | BackoffOptions;
  /** Milliseconds before the job may start (BullMQ's `delay`). @default 0 */
  readonly delay?: number;
}

export interface QueuePoolSettings {
  readonly queue: string;
  readonly connection: FleetConnection;
  readonly prefix: string;
  readonly maxInFlight: number;
  readonly checkInterval: number;
  readonly retention: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;
  readonly defaults: RunSettings;
}

export interface RunSettings {
  readonly priority: number;
  readonly timeout: number | undefined;
  readonly queueTimeout: number | undefined;
  readonly retries: number;
  readonly backoff: number | BackoffOptions | undefined;
  readonly delay: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((value: unknown) => void) | undefined;
  readonly onEvent: ((event: string, data: unknown) => void) | undefined;
}

/** BullMQ's priorities run from 1 (first) to 2²¹ − 1; Spindle's 0 sits in the middle. */
export const PRIORITY_LIMIT = 2 ** 20 - 1;

export function resolveQueuePoolOptions(options: QueuePoolOptions): QueuePoolSettings {
  if (typeof options !== 'object' || (options as unknown) === null) invalidOption('options', 'an object', options);
  const { queue, connection, prefix = 'bull', maxInFlight = Infinity, checkInterval = 5_000, jobRetention = {} } = options;
  validateQueueName(queue);
  validateConnection(connection);
  if (typeof prefix !== 'string' || prefix.length === 0) invalidOption('prefix', 'a non-empty string', prefix);
  if (maxInFlight !== Infinity && (!Number.isInteger(maxInFlight) || maxInFlight < 1)) invalidOption('maxInFlight', 'an integer >= 1 or Infinity', maxInFlight);
  if (typeof checkInterval !== 'number' || !Number.isFinite(checkInterval) || checkInterval < 10) invalidOption('checkInterval', 'a finite number >= 10', checkInterval);
  if (typeof jobRetention !== 'object' || (jobRetention as unknown) === null) invalidOption('jobRetention', 'an object', jobRetention);
  let defaults: RunSettings;
  try {
    defaults = resolveRunOptions(
      { ...pick(options, ['timeout', 'queueTimeout', 'retries', 'backoff']) },
      { priority: 0, timeout: undefined, queueTimeout: undefined, retries: 0, backoff: undefined, delay: 0, signal: undefined, onProgress: undefined, onEvent: undefined },
    );
  } catch (error) {
    throw new InvalidOptionError((error as Error).message);
  }
  return Object.freeze({
    queue,
    connection,
    prefix,
    maxInFlight,
    checkInterval,
    retention: Object.freeze({
      removeOnComplete: jobRetention.removeOnComplete ?? { age: 3_600, count: 100_000 },
      removeOnFail: jobRetention.removeOnFail ?? { age: 86_400 },
    }),
    defaults,
  });
}

/** One call's options over the QueuePool's defaults. */
export function resolveRunOptions(options: QueueRunOptions | undefined, defaults: RunSettings): RunSettings {
  if (options === undefined) return defaults;
  if (typeof options !== 'object' || (options as unknown) === null) invalid('options', 'an object', options);
  const {
    priority = defaults.priority,
    timeout = defaults.timeout,
    queueTimeout = defaults.queueTimeout,
    retries = defaults.retries,
    backoff = defaults.backoff,
    delay = defaults.delay,
    signal,
    onProgress,
    onEvent,
  } = options;
  if (!Number.isInteger(priority) || Math.abs(priority) > PRIORITY_LIMIT) invalid('priority', `an integer from -${PRIORITY_LIMIT} to ${PRIORITY_LIMIT}`, priority);
  if (timeout !== undefined && !positiveFinite(timeout)) invalid('timeout', 'a finite number > 0', timeout);
  if (queueTimeout !== undefined && !positiveFinite(queueTimeout)) invalid('queueTimeout', 'a finite number > 0', queueTimeout);
  if (!Number.isInteger(retries) || retries < 0) invalid('retries', 'an integer >= 0', retries);
  if (backoff !== undefined && !validBackoff(backoff)) invalid('backoff', "a number >= 0 or { type: 'fixed' | 'exponential', delay?, jitter? }", backoff);
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) invalid('delay', 'a finite number >= 0', delay);
  if (signal != null && !(signal instanceof AbortSignal)) invalid('signal', 'an AbortSignal', signal);
  if (onProgress !== undefined && typeof onProgress !== 'function') invalid('onProgress', 'a function', onProgress);
  if (onEvent !== undefined && typeof onEvent !== 'function') invalid('onEvent', 'a function', onEvent);
  return { priority, timeout, queueTimeout, retries, backoff, delay, signal: signal ?? undefined, onProgress, onEvent };
}

function validBackoff(backoff: unknown): boolean {
  if (typeof backoff === 'number') return Number.isFinite(backoff) && backoff >= 0;
  if (typeof backoff !== 'object' || backoff === null) return false;
  const { type, delay } = backoff as { type?: unknown; delay?: unknown };
  return typeof type === 'string' && (delay === undefined || (typeof delay === 'number' && Number.isFinite(delay) && delay >= 0));
}

function positiveFinite(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (object[key] !== undefined) picked[key] = object[key];
  return picked;
}
