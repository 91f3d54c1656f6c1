/**
 * The BullMQ processor of a fleet node: each job runs as one call on the
 * Spindle pool (`job.name` the task, `job.data` its argument), with BullMQ's
 * cancellation signal, the job's timeout, and progress relayed to the job.
 */
import type { Job, Processor } from 'bullmq';
import { InvalidArgumentError, ResultNotCloneableError, TaskAbortedError, transfer, type RunOptions } from '../index.js';
import { decodeValue, encodeValue } from './codec.js';
import { jobFailure } from './failure.js';
import { ProgressRelay } from './progress-relay.js';

/** What the processor needs of a `Pool`, whatever its task module. */
export interface TaskRunner {
  run(name: string, argument: unknown, options: RunOptions): Promise<unknown>;
  /** Resolves when the pool has room for one more task. */
  onDrain(): Promise<void>;
}

/** Spindle's settings of one job, in its options (`job.opts.spindle`), set by `QueuePool`. */
export interface JobSettings {
  /** Run-time limit of the task in ms, counted from its start on the consumer. */
  readonly timeout?: number;
}

export interface ProcessorSettings {
  readonly pool: TaskRunner;
  /** Whether a failure may be retried by BullMQ (while the job has attempts left). */
  readonly retryOn: (error: Error & { code?: string }) => boolean;
  /** Why a producer cancelled this job, if it did before the job started here. */
  readonly cancelledEarlier: (jobId: string) => string | undefined;
  /** Reports what cannot fail the job (a progress update that could not be sent). */
  readonly reportError: (error: unknown) => void;
  /** A job found the pool's queue full (a pool with a `maxQueue`, shared with other work): it waits for room. */
  readonly queueFull: () => void;
}

/**
 * The processor. What it does per job is kept to what the job needs, since a
 * node's event loop also runs BullMQ and ioredis for every job and a node
 * serving a few hundred jobs a second runs this code unoptimized: no progress
 * relay until a task reports progress, no transfer scan of a primitive
 * argument, one options object without spreads.
 */
export function createJobProcessor(settings: ProcessorSettings): Processor<unknown, unknown> {
  // Three parameters: BullMQ passes the job's AbortSignal only to a processor that declares it.
  return async (job: Job<unknown, unknown>, _token: string | undefined, signal: AbortSignal | undefined): Promise<unknown> => {
    const jobId = job.id ?? '';
    const cancelled = settings.cancelledEarlier(jobId);
    if (cancelled !== undefined) throw jobFailure(abortedError(cancelled), false);
    let argument: unknown;
    try {
      argument = decodeValue(job.data);
    } catch (error) {
      throw jobFailure(new InvalidArgumentError(`The data of job ${jobId} cannot be decoded: ${(error as Error).message}`), false);
    }
    // Created at the task's first progress or event: most tasks report none.
    let relay: ProgressRelay | undefined;
    const relayOf = (): ProgressRelay => (relay ??= new ProgressRelay((progress) => job.updateProgress(progress), settings.reportError));
    const onProgress = (value: unknown): void => {
      relayOf().progress(value);
    };
    const onEvent = (event: string, data: unknown): void => {
      relayOf().event(event, data);
    };
    const timeout = jobTimeout(job);
    // BullMQ's attempts are the retries: the pool makes one attempt per job attempt.
    const options: RunOptions =
      timeout === undefined ? { retries: 0, signal: signal ?? null, onProgress, onEvent } : { retries: 0, signal: signal ?? null, timeout, onProgress, onEvent };
    // Decoded bytes are this job's own: moved to the worker, not copied. A primitive has none to look for.
    const sent = typeof argument === 'object' && argument !== null ? transfer(argument) : argument;
    let result: unknown;
    try {
      result = await settings.pool.run(job.name, sent, options).catch((error: unknown) => {
        if (isQueueFull(error)) return runWhenRoom(settings, job.name, sent, options);
        throw error;
      });
    } catch (error) {
      if (relay !== undefined) await relay.flush();
      const failure = signal?.aborted === true && (error as { code?: unknown }).code === 'ERR_TASK_ABORTED' ? abortedError(signal.reason) : error;
      throw jobFailure(failure, settings.retryOn(failure as Error));
    }
    if (relay !== undefined) await relay.flush();
    try {
      return encodeValue(result);
    } catch (error) {
      throw jobFailure(new ResultNotCloneableError(job.name, error), false);
    }
  };
}

const isQueueFull = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'ERR_QUEUE_FULL';

/**
 * A job this node has taken, and so locked, is not failed because the pool
 * has no room for it now (its `maxQueue`, with other work on the pool): it
 * waits for room, as long as BullMQ keeps its lock, and runs then.
 */
async function runWhenRoom(settings: ProcessorSettings, name: string, argument: unknown, options: RunOptions): Promise<unknown> {
  settings.queueFull();
  for (;;) {
    await settings.pool.onDrain();
    try {
      return await settings.pool.run(name, argument, options);
    } catch (error) {
      if (!isQueueFull(error)) throw error;
    }
  }
}

/** ERR_TASK_ABORTED, with the reason of the cancellation in its message. */
function abortedError(reason: unknown): Error {
  const error = new TaskAbortedError(reason);
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : undefined;
  if (why !== undefined && why !== '') error.message = `${error.message}: ${why}`;
  return error;
}

function jobTimeout(job: Job): number | undefined {
  const settings = (job.opts as { spindle?: JobSettings }).spindle;
  const timeout = settings?.timeout;
  return typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : undefined;
}
