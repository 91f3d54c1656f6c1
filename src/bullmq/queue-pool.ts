/**
 * The producer side: a pool whose workers are the `serveQueue()` nodes of a
 * BullMQ queue, typed from the same task module as a local `Pool`.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Queue, type JobsOptions } from 'bullmq';
import {
  ArgumentNotCloneableError,
  PoolClosedError,
  PoolDestroyedError,
  QueueFullError,
  TaskAbortedError,
  type AnyTaskModule,
  type CloseOptions,
  type SendableArgument,
  type TaskArgument,
  type TaskName,
  type TaskResult,
  type Transferred,
} from '../index.js';
import { CancelPublisher, cancelChannelName } from './cancel-channel.js';
import { encodeValue } from './codec.js';
import { bullmqConnection } from './connection.js';
import { JobCall, type CallOutcome } from './job-call.js';
import { JobWatcher } from './job-watcher.js';
import { mapOverQueue, type QueueMapOptions } from './queue-map.js';
import { PRIORITY_LIMIT, resolveQueuePoolOptions, resolveRunOptions, type QueuePoolOptions, type QueuePoolSettings, type QueueRunOptions, type RunSettings } from './queue-pool-options.js';
import { invalid } from './validation.js';

/** The rest of `queuePool.run(name, ...)`: the argument (optional when the task takes none), then options; as `pool.run()`. */
export type QueueRunArguments<M, K extends TaskName<M>> =
  undefined extends TaskArgument<M, K>
    ? [argument?: SendableArgument<M, K> | Transferred<SendableArgument<M, K>>, options?: QueueRunOptions]
    : [argument: SendableArgument<M, K> | Transferred<SendableArgument<M, K>>, options?: QueueRunOptions];

/** What this producer has submitted and how it ended: `completed + failed + aborted + inFlight = submitted`. */
export interface QueuePoolStats {
  readonly submitted: number;
  readonly inFlight: number;
  readonly completed: number;
  readonly failed: number;
  readonly aborted: number;
  /** Calls that rejected, by error code (`other` for errors without one). */
  readonly failedByCode: Readonly<Record<string, number>>;
  readonly rejectedQueueFull: number;
}

export interface QueuePoolEvents {
  /** An `onProgress` or `onEvent` callback threw, or a job could not be withdrawn; the call goes on. */
  callbackError: [error: Error];
}

const transferMarker = Symbol.for('spindle.transfer');

/**
 * Runs tasks on a fleet: each `run()` adds a BullMQ job (the task's name,
 * its argument as the job's data) and resolves with the task's result when
 * a `serveQueue()` node has run it.
 *
 * ```ts
 * const fleet = new QueuePool<typeof import('./tasks.js')>({ queue: 'tasks', connection: 'redis://127.0.0.1:6379' });
 * const n = await fleet.run('fib', 30, { priority: 10, timeout: 5_000 });
 * ```
 */
export class QueuePool<M extends object = AnyTaskModule> extends EventEmitter<QueuePoolEvents> implements AsyncDisposable {
  /** Resolves once the queue and its event reader are connected; `run()` waits for it by itself. */
  readonly ready: Promise<void>;
  /** The BullMQ queue the jobs go to: for its counts, `pause()`, or a dashboard. */
  readonly queue: Queue;
  readonly #settings: QueuePoolSettings;
  readonly #watcher: Promise<JobWatcher>;
  readonly #cancels: CancelPublisher;
  readonly #counts = { submitted: 0, completed: 0, failed: 0, aborted: 0, rejectedQueueFull: 0 };
  readonly #failedByCode = new Map<string, number>();
  readonly #idleWaiters: (() => void)[] = [];
  #inFlight = 0;
  #closed: Promise<void> | undefined;
  readonly #calls = new Set<JobCall>();

  constructor(options: QueuePoolOptions) {
    super();
    this.#settings = resolveQueuePoolOptions(options);
    const { queue, connection, prefix, checkInterval } = this.#settings;
    const bullQueue = new Queue(queue, { connection: bullmqConnection(connection), prefix });
    // BullMQ reports lost connections on 'error' and reconnects by itself.
    bullQueue.on('error', () => undefined);
    this.queue = bullQueue;
    this.#cancels = new CancelPublisher(connection, cancelChannelName(prefix, queue));
    this.#watcher = (async () => {
      await bullQueue.waitUntilReady();
      return JobWatcher.start(bullQueue, { connection: bullmqConnection(connection), prefix }, checkInterval);
    })();
    this.ready = this.#watcher.then(() => undefined);
    this.ready.catch(() => undefined);
  }

  /** Runs task `name` with `argument` on a node of the fleet; resolves with its result. */
  run<K extends TaskName<M>>(name: K, ...rest: QueueRunArguments<M, K>): Promise<TaskResult<M, K>>;
  run(name: string, argument?: unknown, options?: QueueRunOptions): Promise<unknown> {
    try {
      return this.#submit(name, argument, options);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Runs task `name` on every item of `items` (an iterable or an async
   * iterable), at most `concurrency` jobs at a time, and yields the results,
   * in input order unless `ordered` is false. Leaving the loop early, a
   * failed job, or aborting `signal` withdraws the jobs still in flight.
   */
  map<K extends TaskName<M>>(
    items: Iterable<TaskArgument<M, K> | Transferred<TaskArgument<M, K>>> | AsyncIterable<TaskArgument<M, K> | Transferred<TaskArgument<M, K>>>,
    name: K,
    options?: QueueMapOptions,
  ): AsyncGenerator<TaskResult<M, K>, void, undefined> {
    return mapOverQueue((argument, runOptions) => this.#submit(name, argument, runOptions), items, name, options, this.#settings.defaults) as AsyncGenerator<TaskResult<M, K>, void, undefined>;
  }

  /** An immutable snapshot of this producer's counters. */
  stats(): QueuePoolStats {
    return Object.freeze({ ...this.#counts, inFlight: this.#inFlight, failedByCode: Object.freeze(Object.fromEntries(this.#failedByCode)) });
  }

  /** Resolves when no call of this producer is in flight. */
  onIdle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops accepting calls (ERR_POOL_CLOSED), waits for those in flight, then
   * closes the Redis connections. With `timeout`, the calls still in flight
   * then reject with ERR_POOL_DESTROYED; their jobs stay in the queue.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const { timeout } = options;
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0))) return Promise.reject(invalidTimeout(timeout));
    this.#closed ??= (async () => {
      if (timeout === undefined) await this.onIdle();
      else {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.onIdle(), new Promise((resolve) => (timer = setTimeout(resolve, timeout)))]);
        clearTimeout(timer);
        for (const call of this.#calls) call.lost(new PoolDestroyedError('The queue pool was closed before the job finished; the job stays in the queue'));
      }
      await Promise.allSettled([this.#watcher.then((watcher) => watcher.close()), this.queue.close(), this.#cancels.close()]);
    })();
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #submit(name: string, argument: unknown, options: QueueRunOptions | undefined): Promise<unknown> {
    if (typeof name !== 'string' || name.length === 0) invalid('name', 'a non-empty string', name);
    const settings = resolveRunOptions(options, this.#settings.defaults);
    if (this.#closed !== undefined) throw new PoolClosedError('The queue pool is closed and accepts no new jobs');
    if (settings.signal?.aborted === true) throw new TaskAbortedError(settings.signal.reason);
    if (this.#inFlight >= this.#settings.maxInFlight) {
      this.#counts.rejectedQueueFull++;
      const full = new QueueFullError(this.#settings.maxInFlight);
      full.message = `The queue pool has ${this.#settings.maxInFlight} jobs in flight (maxInFlight = ${this.#settings.maxInFlight})`;
      throw full;
    }
    let data: unknown;
    try {
      data = encodeValue(unwrapTransfer(argument));
    } catch (error) {
      throw new ArgumentNotCloneableError(name, error);
    }
    const jobId = randomUUID();
    this.#inFlight++;
    this.#counts.submitted++;
    return new Promise((resolve, reject) => {
      this.#watcher.then(
        (watcher) => {
          const call: JobCall = new JobCall(
            {
              queue: this.queue,
              watcher,
              cancels: this.#cancels,
              settled: (outcome, error) => {
                this.#calls.delete(call);
                this.#count(outcome, error);
              },
              reportCallbackError: (error) => {
                this.#reportCallbackError(error);
              },
            },
            jobId,
            settings,
            resolve,
            reject,
          );
          this.#calls.add(call);
          call.submit(name, data, this.#jobOptions(jobId, settings));
        },
        (error: unknown) => {
          const failure = error instanceof Error ? error : new Error(String(error));
          this.#count('failed', failure);
          reject(failure);
        },
      );
    });
  }

  #jobOptions(jobId: string, settings: RunSettings): JobsOptions {
    const options: JobsOptions & { spindle?: { timeout: number } } = {
      jobId,
      // Every job gets a priority: BullMQ runs jobs without one before all prioritized ones.
      priority: PRIORITY_LIMIT + 1 - settings.priority,
      attempts: settings.retries + 1,
      ...this.#settings.retention,
    };
    if (settings.backoff !== undefined) options.backoff = settings.backoff;
    if (settings.delay > 0) options.delay = settings.delay;
    if (settings.timeout !== undefined) options.spindle = { timeout: settings.timeout };
    return options;
  }

  #count(outcome: CallOutcome, error: (Error & { code?: unknown }) | undefined): void {
    this.#inFlight--;
    this.#counts[outcome]++;
    if (error !== undefined) {
      const code = typeof error.code === 'string' ? error.code : 'other';
      this.#failedByCode.set(code, (this.#failedByCode.get(code) ?? 0) + 1);
    }
    if (this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #reportCallbackError(error: unknown): void {
    if (this.listenerCount('callbackError') > 0) this.emit('callbackError', error instanceof Error ? error : new Error(String(error)));
  }
}

function unwrapTransfer(value: unknown): unknown {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[transferMarker] === true ? (value as { value: unknown }).value : value;
}

function invalidTimeout(timeout: unknown): Error {
  try {
    return invalid('timeout', 'a number >= 0', timeout);
  } catch (error) {
    return error as Error;
  }
}
