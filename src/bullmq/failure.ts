/**
 * How a task's failure crosses the queue. BullMQ keeps a failed job's
 * `failedReason` (a string: the thrown error's message) and `stacktrace`.
 * The consumer writes the reason in Node's own format for errors,
 * `Name [CODE]: message` (or `Name: message` for an error without a code),
 * so that dashboards show the code and the producer can rebuild the error.
 */
import { errorCodes, SpindleError, type SpindleErrorCode } from '../index.js';
import { fleetErrorCodes, JobFailedError, JobStalledError } from './errors.js';

const REASON = /^([A-Za-z_$][\w$]*)(?: \[([^\]\s]+)\])?: ([\s\S]*)$/;
/** BullMQ's reason for a job that stalled more than `maxStalledCount` times. */
const STALLED = 'job stalled more than allowable limit';
const SPINDLE_CODES: ReadonlySet<string> = new Set<string>([...errorCodes, ...fleetErrorCodes]);

/** Failures that would fail again on every attempt, so a job that ends with one is not retried. */
export const NEVER_RETRIED: ReadonlySet<string> = new Set([
  'ERR_UNKNOWN_TASK',
  'ERR_INVALID_ARGUMENT',
  'ERR_ARGUMENT_NOT_CLONEABLE',
  'ERR_RESULT_NOT_CLONEABLE',
  'ERR_TASK_ABORTED',
  'ERR_NOT_MOVABLE',
]);

/** The name, code and message of whatever a task threw. */
export interface FailureParts {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly stack: string | undefined;
}

export function failureParts(error: unknown): FailureParts {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const { name, message, code, stack } = error as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
    return {
      name: typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name) ? name : 'Error',
      code: typeof code === 'string' && /^[^\]\s]+$/.test(code) ? code : undefined,
      message: String(message),
      stack: typeof stack === 'string' ? stack : undefined,
    };
  }
  return { name: 'Error', code: undefined, message: `The task threw a value that is not an Error: ${String(error)}`, stack: undefined };
}

/** `Name [CODE]: message`, the job's `failedReason`. */
export function failedReasonOf(parts: FailureParts): string {
  return `${parts.name}${parts.code === undefined ? '' : ` [${parts.code}]`}: ${parts.message}`;
}

/**
 * The error the consumer's processor throws for a failed task: its message is
 * the `failedReason`, its stack the task's frames under that line, and its
 * name `UnrecoverableError` when BullMQ must not retry it.
 */
export function jobFailure(error: unknown, retry: boolean): Error {
  const parts = failureParts(error);
  const reason = failedReasonOf(parts);
  const failure = new Error(reason);
  const frames = parts.stack?.split('\n').filter((line) => line.startsWith('    at ')) ?? [];
  failure.stack = [reason, ...frames].join('\n');
  if (!retry) failure.name = 'UnrecoverableError';
  return failure;
}

/** The consumer's default `retryOn`: every failure but those that would fail again, and a task's own `UnrecoverableError`. */
export function retryableByDefault(error: unknown): boolean {
  const { name, code } = failureParts(error);
  return name !== 'UnrecoverableError' && (code === undefined || !NEVER_RETRIED.has(code));
}

/**
 * The producer's side: the error `run()` rejects with for a job that failed
 * with `failedReason`. Its name, code and message are the remote error's
 * (branded as a Spindle error when its code is one of Spindle's), its stack
 * the remote one when known; `jobId` names the job.
 */
export function rebuildFailure(jobId: string, failedReason: string, remoteStack?: string): Error {
  if (failedReason === STALLED) return new JobStalledError(jobId, failedReason);
  const match = REASON.exec(failedReason);
  if (match === null) return new JobFailedError(jobId, failedReason);
  const [, name = 'Error', code, message = ''] = match;
  let error: Error;
  if (code !== undefined && SPINDLE_CODES.has(code)) {
    // A Spindle code arrives as a SpindleError (instanceof and SpindleError.is() hold), named as its class was.
    error = new SpindleError(code as SpindleErrorCode, message);
  } else {
    const Constructor = ({ TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError } as Record<string, ErrorConstructor | undefined>)[name] ?? Error;
    error = new Constructor(message);
    if (code !== undefined) Object.assign(error, { code });
  }
  if (error.name !== name) Object.defineProperty(error, 'name', { value: name, writable: true, configurable: true });
  Object.assign(error, { jobId });
  if (remoteStack?.startsWith(failedReason) === true) error.stack = remoteStack;
  return error;
}
