/**
 * Every failure Spindle itself produces is a `SpindleError` with a stable
 * `code`. Match on `err.code`, not on the message or on `instanceof`
 * (two copies of the package in one process have different classes).
 * The list of codes is documented in docs/errors.md; a test keeps the two in sync.
 */

export const errorCodes = [
  'ERR_INVALID_OPTION',
  'ERR_INVALID_ARGUMENT',
  'ERR_UNKNOWN_TASK',
  'ERR_WORKER_START_FAILED',
  'ERR_POOL_CLOSED',
  'ERR_POOL_DESTROYED',
  'ERR_POOL_DEGRADED',
  'ERR_QUEUE_FULL',
  'ERR_QUEUE_TIMEOUT',
  'ERR_TASK_TIMEOUT',
  'ERR_TASK_ABORTED',
  'ERR_WORKER_EXITED',
  'ERR_WORKER_OUT_OF_MEMORY',
  'ERR_ARGUMENT_NOT_CLONEABLE',
  'ERR_RESULT_NOT_CLONEABLE',
  'ERR_TRANSFERRED_ARGUMENT_LOST',
  'ERR_NOT_MOVABLE',
] as const;

export type SpindleErrorCode = (typeof errorCodes)[number];

const brand = Symbol.for('spindle.error');

export interface SpindleErrorOptions {
  readonly cause?: unknown;
}

/** Base class of every error Spindle raises. */
export class SpindleError extends Error {
  readonly code: SpindleErrorCode;

  constructor(code: SpindleErrorCode, message: string, options?: SpindleErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** Whether `value` is an error Spindle raised, whichever copy of the package raised it. */
  static is(value: unknown): value is SpindleError {
    return typeof value === 'object' && value !== null && brand in value;
  }

  /**
   * `instanceof` holds across copies of the package as well: a task module's
   * `spindle/worker` is a bundle of its own (scripts/bundle.js), and a
   * dependency may bring another copy. An error of another copy is an
   * instance of this class when it is a Spindle error of the same class name
   * (every Spindle class is a direct subclass of SpindleError).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (!SpindleError.is(value)) return false;
    return this === SpindleError || value.name === this.name;
  }
}

export class InvalidOptionError extends SpindleError {
  constructor(message: string) {
    super('ERR_INVALID_OPTION', message);
  }
}

export class InvalidArgumentError extends SpindleError {
  constructor(message: string) {
    super('ERR_INVALID_ARGUMENT', message);
  }
}

export class UnknownTaskError extends SpindleError {
  readonly taskName: string;
  constructor(taskName: string, known: readonly string[]) {
    super(
      'ERR_UNKNOWN_TASK',
      `The worker module has no task named \`${taskName}\`; it exports ${known.length === 0 ? 'no functions' : known.map((name) => `\`${name}\``).join(', ')}`,
    );
    this.taskName = taskName;
  }
}

export class WorkerStartError extends SpindleError {
  constructor(message: string, cause?: unknown) {
    super('ERR_WORKER_START_FAILED', message, { cause });
  }
}

export class PoolClosedError extends SpindleError {
  constructor(message = 'The pool is closed and accepts no new tasks') {
    super('ERR_POOL_CLOSED', message);
  }
}

export class PoolDestroyedError extends SpindleError {
  constructor(message = 'The pool was destroyed before the task finished') {
    super('ERR_POOL_DESTROYED', message);
  }
}

export class PoolDegradedError extends SpindleError {
  constructor(cause: unknown) {
    super('ERR_POOL_DEGRADED', 'The pool is degraded: its workers fail to start, so the task was not queued', { cause });
  }
}

export class QueueFullError extends SpindleError {
  readonly maxQueue: number;
  constructor(maxQueue: number) {
    super('ERR_QUEUE_FULL', `The task queue is full (maxQueue = ${String(maxQueue)})`);
    this.maxQueue = maxQueue;
  }
}

export class QueueTimeoutError extends SpindleError {
  readonly queueTimeoutMs: number;
  constructor(queueTimeoutMs: number) {
    super('ERR_QUEUE_TIMEOUT', `The task waited in the queue longer than ${String(queueTimeoutMs)} ms`);
    this.queueTimeoutMs = queueTimeoutMs;
  }
}

export class TaskTimeoutError extends SpindleError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('ERR_TASK_TIMEOUT', `The task ran longer than its timeout of ${String(timeoutMs)} ms`);
    this.timeoutMs = timeoutMs;
  }
}

export class TaskAbortedError extends SpindleError {
  constructor(reason: unknown) {
    super('ERR_TASK_ABORTED', 'The task was aborted', { cause: reason });
  }
}

export class WorkerExitedError extends SpindleError {
  readonly exitCode: number | undefined;
  /** The worker's thread id, or its process id (`runtime: 'process'`). */
  readonly threadId: number;
  /** The signal that killed a process worker (`SIGSEGV`, `SIGABRT` …), if one did. */
  readonly signal: NodeJS.Signals | undefined;
  constructor(threadId: number, exitCode: number | undefined, cause?: unknown, signal?: NodeJS.Signals) {
    super(
      'ERR_WORKER_EXITED',
      signal === undefined
        ? `Worker ${String(threadId)} exited${exitCode === undefined ? '' : ` with code ${String(exitCode)}`} while running the task`
        : `Worker process ${String(threadId)} was killed by ${signal} while running the task`,
      { cause },
    );
    this.exitCode = exitCode;
    this.threadId = threadId;
    this.signal = signal;
  }
}

export class WorkerOutOfMemoryError extends SpindleError {
  readonly exitCode: number | undefined;
  readonly threadId: number;
  constructor(threadId: number, exitCode: number | undefined, cause?: unknown) {
    super('ERR_WORKER_OUT_OF_MEMORY', `Worker ${String(threadId)} ran out of memory while running the task`, { cause });
    this.exitCode = exitCode;
    this.threadId = threadId;
  }
}

export class ArgumentNotCloneableError extends SpindleError {
  constructor(taskName: string, cause: unknown) {
    super('ERR_ARGUMENT_NOT_CLONEABLE', `The argument of task \`${taskName}\` cannot be sent to a worker: ${cause instanceof Error ? cause.message : 'structured clone failed'}`, { cause });
  }
}

export class ResultNotCloneableError extends SpindleError {
  constructor(taskName: string, cause: unknown) {
    super('ERR_RESULT_NOT_CLONEABLE', `The result of task \`${taskName}\` cannot be sent back from the worker: ${cause instanceof Error ? cause.message : 'structured clone failed'}`, { cause });
  }
}

export class TransferredArgumentLostError extends SpindleError {
  readonly taskName: string;
  constructor(taskName: string, cause: unknown) {
    super(
      'ERR_TRANSFERRED_ARGUMENT_LOST',
      `Task \`${taskName}\` cannot run again: its argument was transferred (moved, not copied) to a worker that failed before finishing it, so its buffers are gone. The first failure is the cause.`,
      { cause },
    );
    this.taskName = taskName;
  }
}

export class NotMovableError extends SpindleError {
  constructor(message: string) {
    super('ERR_NOT_MOVABLE', `Cannot move it: ${message}.`);
  }
}
