/**
 * When an idle worker should busy-poll rather than sleep.
 *
 * Polling pays when the next task comes within the window. It does not when
 * tasks are sparse, and it hurts when the worker shares a CPU with the
 * pool's thread: the poller then holds the CPU that the pool needs to send
 * the next task, and the poll times out. So a poll that times out makes the
 * worker skip its next 2, 4, 8, … up to MAX_SKIPS chances to poll, sleeping
 * at once instead; a poll that gets its message resets the count.
 */
const MAX_SKIPS = 1024;

export class PollBackoff {
  #skips = 0;
  #nextSkips = 2;

  /** Whether to poll this time (each false uses up one skip). */
  shouldPoll(): boolean {
    if (this.#skips === 0) return true;
    this.#skips--;
    return false;
  }

  /** The poll got its message. */
  hit(): void {
    this.#nextSkips = 2;
  }

  /** The poll timed out. */
  miss(): void {
    this.#skips = this.#nextSkips;
    this.#nextSkips = Math.min(this.#nextSkips * 2, MAX_SKIPS);
  }
}
