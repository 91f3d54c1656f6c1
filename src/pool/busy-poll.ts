import { PollBackoff } from '../protocol/poll-backoff.js';

/**
 * Keeps the pool's event loop turning, without blocking it, while results
 * are due within a few microseconds.
 *
 * A thread asleep in epoll takes 5 to 70 µs to wake when a message arrives
 * (much of it the hypervisor waking an idle CPU), which is more than a short
 * task costs. While an immediate is pending, libuv polls for I/O without
 * sleeping, so a result is picked up on the next turn of the loop instead.
 * Timers, I/O and other callbacks run as usual meanwhile. A window that
 * passes without the results makes it poll less often (see PollBackoff).
 */
export class BusyPoll {
  readonly #windowMs: number;
  readonly #waiting: () => boolean;
  readonly #backoff = new PollBackoff();
  #deadline = 0;
  #turning = false;

  /** `waiting`: whether results are still out; polling stops as soon as it says no. */
  constructor(windowUs: number, waiting: () => boolean) {
    this.#windowMs = windowUs / 1000;
    this.#waiting = waiting;
  }

  get windowUs(): number {
    return this.#windowMs * 1000;
  }

  /** A result is expected within the window: poll until it comes or the window passes. */
  expectSoon(): void {
    if (this.#windowMs === 0) return;
    if (this.#turning) {
      this.#deadline = performance.now() + this.#windowMs;
      return;
    }
    if (!this.#backoff.shouldPoll()) return;
    this.#deadline = performance.now() + this.#windowMs;
    this.#turning = true;
    setImmediate(this.#turn);
  }

  /** Results came in: if the loop was kept turning for them, polling paid off. */
  arrived(): void {
    if (this.#turning) this.#backoff.hit();
  }

  readonly #turn = (): void => {
    if (!this.#waiting()) {
      this.#turning = false;
      this.#backoff.hit();
    } else if (performance.now() < this.#deadline) setImmediate(this.#turn);
    else {
      this.#turning = false;
      this.#backoff.miss();
    }
  };
}
