/**
 * The consumer side: a BullMQ `Worker` whose jobs run on a Spindle pool.
 */
import { Worker, type Processor, type WorkerOptions } from 'bullmq';
import { type CloseOnSignalOptions, type CloseOptions, type Pool } from '../index.js';
import { CancelListener, cancelChannelName } from './cancel-channel.js';
import { bullmqConnection, validateConnection, validateQueueName, type FleetConnection } from './connection.js';
import { retryableByDefault } from './failure.js';
import { createJobProcessor, type TaskRunner } from './job-processor.js';
import { PullAhead } from './pull-ahead.js';
import { invalidOption } from './validation.js';

/** BullMQ's worker options that `serveQueue()` passes on; the sandbox options do not apply (the pool is the sandbox). */
type PassedWorkerOptions = Omit<WorkerOptions, 'connection' | 'concurrency' | 'autorun' | 'useWorkerThreads' | 'workerForkOptions' | 'workerThreadsOptions'>;

/** Options of `serveQueue()`: BullMQ's `WorkerOptions` (`lockDuration`, `stalledInterval`, `maxStalledCount`, `limiter`, `prefix`, …), and these. */
export interface ServeQueueOptions extends PassedWorkerOptions {
  /** The BullMQ queue to take jobs from. */
  readonly queue: string;
  /** The Redis of the queue. */
  readonly connection: FleetConnection;
  /**
   * Jobs this node takes at once (BullMQ's concurrency), fixed. The default
   * follows the pool: its number of workers once it is ready (for a pool with
   * `threads: { min, max }`, that is `min`; pass `max` here to use them all),
   * and twice that while the node's recent jobs are short (the slowest of
   * them under 50 ms; it stops at a slower one), so that a worker does not
   * sit idle while a finished job goes to Redis and the next comes back.
   * @default the pool's workers once ready; one more each while jobs are short
   */
  readonly concurrency?: number;
  /**
   * Whether BullMQ may retry a job whose task failed with `error` (while the
   * job has attempts left); a job it declines fails at once, as BullMQ's
   * `UnrecoverableError` does.
   * @default every failure but those that would fail again: ERR_UNKNOWN_TASK,
   * ERR_INVALID_ARGUMENT, ERR_ARGUMENT_NOT_CLONEABLE, ERR_RESULT_NOT_CLONEABLE,
   * ERR_TASK_ABORTED, ERR_NOT_MOVABLE, and an error the task named `UnrecoverableError`
   */
  readonly retryOn?: (error: Error & { code?: string }) => boolean;
}

/** A fleet node: the BullMQ worker and what closes it. */
export interface ServedQueue extends AsyncDisposable {
  /** The BullMQ worker: `worker.on('completed', …)`, `worker.cancelJob(id)`, `worker.pause()`. */
  readonly worker: Worker;
  /** Resolves once the pool is ready and the worker takes jobs; rejects if the pool cannot load its module. */
  readonly ready: Promise<void>;
  /**
   * Stops taking jobs, finishes the running ones, closes the pool, then
   * the Redis connections. With `timeout`, what still runs then is left to
   * BullMQ's stalled-job check (another node runs it again) and the pool is
   * destroyed.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * On SIGTERM/SIGINT: stops `server` if given, stops taking jobs and
   * finishes the running ones, awaits `beforeClose`, then closes the pool and
   * the connections, so that the process exits 0 by itself. Returns the
   * uninstaller.
   */
  closeOnSignal(options?: CloseOnSignalOptions): () => void;
}

/**
 * Serves a BullMQ queue on a Spindle pool: every job runs task `job.name`
 * with `job.data` as its argument, and its result becomes the job's return
 * value.
 *
 * ```ts
 * const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'));
 * const node = serveQueue(pool, { queue: 'tasks', connection: 'redis://127.0.0.1:6379' });
 * node.closeOnSignal();
 * ```
 */
export function serveQueue<M extends object>(pool: Pool<M>, options: ServeQueueOptions): ServedQueue {
  if (typeof options !== 'object' || (options as unknown) === null) invalidOption('options', 'an object', options);
  const { queue, connection, concurrency, retryOn = retryableByDefault, ...workerOptions } = options;
  validateQueueName(queue);
  validateConnection(connection);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) invalidOption('concurrency', 'an integer >= 1', concurrency);
  if (typeof retryOn !== 'function') invalidOption('retryOn', 'a function', retryOn);

  const runner = pool as unknown as TaskRunner;
  const cancels = new CancelListener(connection, cancelChannelName(workerOptions.prefix ?? 'bull', queue), ({ jobId, reason }) => {
    worker.cancelJob(jobId, reason);
  });
  const process = createJobProcessor({
    pool: runner,
    retryOn,
    cancelledEarlier: (jobId) => cancels.cancelled(jobId),
    reportError: (error) => worker.emit('error', error instanceof Error ? error : new Error(String(error))),
    queueFull: () => pullAhead?.stop(),
  });
  // Jobs running now, counted rather than kept, and no async frame of its own around each job: close() waits for them.
  let running = 0;
  let idle: (() => void) | undefined;
  // Set once the pool is ready, unless the concurrency is given.
  let pullAhead: PullAhead | undefined;
  const allJobsSettled = (): Promise<void> => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve)));
  // Three parameters: BullMQ passes the job's AbortSignal only to a processor that declares it.
  const processor: Processor = (job, token, signal) => {
    const startedAt = performance.now();
    const attempt = process(job, token, signal);
    running++;
    const jobSettled = (): void => {
      pullAhead?.jobSettled(performance.now() - startedAt);
      if (--running === 0) idle?.();
    };
    attempt.then(jobSettled, jobSettled);
    return attempt;
  };
  const worker = new Worker(queue, processor, { ...workerOptions, connection: bullmqConnection(connection), concurrency: concurrency ?? 1, autorun: false });
  // BullMQ reports connection errors on 'error' and retries; without a listener they would crash the process.
  worker.on('error', () => undefined);

  let stopped: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  const ready = (async () => {
    await pool.ready;
    if (concurrency === undefined) pullAhead = new PullAhead(worker, Math.max(1, pool.stats().workers.total));
    await cancels.ready;
    if (stopped !== undefined) return;
    void worker.run().catch((error: unknown) => worker.emit('error', error instanceof Error ? error : new Error(String(error))));
    await worker.waitUntilReady();
  })();
  ready.catch(() => undefined);

  /** Stops fetching at once, then waits for the running jobs (at most `timeout` ms: past it, BullMQ's stalled-job check recovers them). */
  const stopTakingJobs = async (timeout: number | undefined): Promise<void> => {
    await worker.pause(true);
    let finished = true;
    if (timeout !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeout, false)));
      finished = await Promise.race([allJobsSettled().then(() => true), expired]);
      clearTimeout(timer);
    }
    await worker.close(!finished);
    await cancels.close();
  };
  const close = (closeOptions: CloseOptions = {}): Promise<void> => {
    closed ??= (async () => {
      const startedAt = Date.now();
      stopped ??= stopTakingJobs(closeOptions.timeout);
      await stopped;
      const left = closeOptions.timeout === undefined ? undefined : Math.max(0, closeOptions.timeout - (Date.now() - startedAt));
      await pool.close(left === undefined ? {} : { timeout: left });
    })();
    return closed;
  };

  return {
    worker,
    ready,
    close,
    closeOnSignal(signalOptions: CloseOnSignalOptions = {}) {
      return pool.closeOnSignal({
        ...signalOptions,
        beforeClose: async () => {
          stopped ??= stopTakingJobs(signalOptions.timeout);
          await stopped;
          await signalOptions.beforeClose?.();
        },
      });
    },
    async [Symbol.asyncDispose]() {
      await close();
    },
  };
}
