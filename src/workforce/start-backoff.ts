const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;

/**
 * Workers that fail to start are started again one at a time, after
 * 100 ms, 200 ms, 400 ms … up to 10 s, so that a module that cannot load
 * never causes a storm of threads. A worker that loads resets the count.
 */
export class StartBackoff {
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Start failures since the last worker that loaded. */
  get failing(): boolean {
    return this.#failures > 0;
  }

  /** A retry is scheduled: nothing else should start a worker meanwhile. */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  failed(): void {
    this.#failures++;
  }

  succeeded(): void {
    this.#failures = 0;
  }

  /** Calls `retry` after the back-off delay, unless a retry is already scheduled. */
  schedule(retry: () => void): void {
    if (this.#timer !== undefined) return;
    const delay = Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(this.#failures - 1, 0), MAX_BACKOFF_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      retry();
    }, delay);
    this.#timer.unref();
  }

  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
