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
}

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
    const relay = new ProgressRelay((progress) => job.updateProgress(progress), settings.reportError);
    const timeout = jobTimeout(job);
    let result: unknown;
    try {
      result = await settings.pool.run(job.name, transfer(argument), {
        // BullMQ's attempts are the retries: the pool makes one attempt per job attempt.
        retries: 0,
        ...(signal === undefined ? {} : { signal }),
        ...(timeout === undefined ? {} : { timeout }),
        onProgress: (value) => {
          relay.progress(value);
        },
        onEvent: (event, data) => {
          relay.event(event, data);
        },
      });
    } catch (error) {
      await relay.flush();
      const failure = signal?.aborted === true && (error as { code?: unknown }).code === 'ERR_TASK_ABORTED' ? abortedError(signal.reason) : error;
      throw jobFailure(failure, settings.retryOn(failure as Error));
    }
    await relay.flush();
    try {
      return encodeValue(result);
    } catch (error) {
      throw jobFailure(new ResultNotCloneableError(job.name, error), false);
    }
  };
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
