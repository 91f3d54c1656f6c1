/**
 * When a thread should busy-poll rather than sleep, learned from how polling
 * went before. Both ends follow it: the worker when it runs out of tasks
 * (src/worker/runner.ts) and the pool while results are due
 * (src/pool/busy-poll.ts).
 *
 * Polling pays when the other thread answers within the window. It does not
 * when messages are sparse, and it hurts when both threads share one CPU:
 * the poller then holds the CPU the other thread needs to answer. So a poll
 * that times out makes the thread skip its next 2, 4, 8, … up to 1024
 * chances to poll, sleeping at once instead; a poll that gets its message
 * resets the count.
 */
export class PollBackoff {
  static readonly MAX_SKIPS = 1024;
  #skips = 0;
  #nextSkips = 2;

  /** Whether to poll this time (each false uses up one skip). */
  shouldPoll(): boolean {
    if (this.#skips === 0) return true;
    this.#skips--;
    return false;
  }

  /** The poll got its message in time. */
  hit(): void {
    this.#nextSkips = 2;
  }

  /** The poll timed out. */
  miss(): void {
    this.#skips = this.#nextSkips;
    this.#nextSkips = Math.min(this.#nextSkips * 2, PollBackoff.MAX_SKIPS);
  }
}
