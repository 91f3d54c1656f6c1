/**
 * The failures only a queue has. Each is an `Error` with a stable `code`
 * and Spindle's brand, so `SpindleError.is(error)` recognises it; the list
 * is documented in docs/fleet.md, and a test keeps the two in sync. Where a
 * core code means the same thing (`ERR_TASK_TIMEOUT`, `ERR_TASK_ABORTED`,
 * `ERR_QUEUE_TIMEOUT`, `ERR_QUEUE_FULL`, `ERR_POOL_CLOSED`,
 * `ERR_INVALID_ARGUMENT`, …) the fleet uses the core's code instead.
 */

export const fleetErrorCodes = ['ERR_JOB_LOST', 'ERR_JOB_STALLED', 'ERR_JOB_FAILED'] as const;

export type FleetErrorCode = (typeof fleetErrorCodes)[number];

const brand = Symbol.for('spindle.error');

/** Base class of the errors only `spindle/bullmq` raises. */
export abstract class FleetError extends Error {
  abstract readonly code: FleetErrorCode;
  /** The BullMQ job the error is about. */
  readonly jobId: string;

  constructor(jobId: string, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.jobId = jobId;
    Object.defineProperty(this, brand, { value: true });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The job is gone from Redis while its producer waited: removed by someone else, evicted, or lost with a Redis that kept no append-only file. */
export class JobLostError extends FleetError {
  readonly code = 'ERR_JOB_LOST';
  constructor(jobId: string) {
    super(jobId, `Job ${jobId} is no longer in Redis, and no result or failure for it was seen: it was removed, evicted, or lost with its data`);
  }
}

/** BullMQ failed the job because it stalled more often than the workers' `maxStalledCount` allows: its consumers died or blocked while running it. */
export class JobStalledError extends FleetError {
  readonly code = 'ERR_JOB_STALLED';
  constructor(jobId: string, failedReason: string) {
    super(jobId, `Job ${jobId} stalled more often than the consumers' \`maxStalledCount\` allows (its consumer died or its event loop was blocked past \`lockDuration\`): ${failedReason}`);
  }
}

/** BullMQ failed the job for a reason of its own, not an error of the task (for example a lost lock, or `maxStartedAttempts`); `failedReason` is BullMQ's. */
export class JobFailedError extends FleetError {
  readonly code = 'ERR_JOB_FAILED';
  readonly failedReason: string;
  constructor(jobId: string, failedReason: string) {
    super(jobId, `Job ${jobId} failed: ${failedReason}`);
    this.failedReason = failedReason;
  }
}
