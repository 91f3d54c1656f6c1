/** Failures retried by default: the worker died, ran out of memory, or the task ran out of time. */
const RETRYABLE = new Set(['ERR_WORKER_EXITED', 'ERR_WORKER_OUT_OF_MEMORY', 'ERR_TASK_TIMEOUT']);

/**
 * Whether a failed attempt may be retried. Without `retryOn`, only failures
 * of the worker (`retryable`, never the task's own errors) with one of the
 * codes above; with it, whatever it answers (a `retryOn` that throws says no).
 */
export function shouldRetry(error: Error, retryable: boolean, retryOn: ((error: Error) => boolean) | undefined): boolean {
  if (retryOn === undefined) return retryable && RETRYABLE.has((error as { code?: string }).code ?? '');
  try {
    return retryOn(error);
  } catch {
    return false;
  }
}
