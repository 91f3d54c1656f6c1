/**
 * Keeps the pool's event loop turning, without blocking it, while results
 * are due within a few microseconds.
 *
 * A thread asleep in epoll takes 5 to 70 µs to wake when a message arrives
 * (much of it the hypervisor waking an idle CPU), which is more than a short
 * task costs. While an immediate is pending, libuv polls for I/O without
 * sleeping, so a result is picked up on the next turn of the loop instead.
 * Timers, I/O and other callbacks run as usual meanwhile.
 */
export class BusyPoll {
  readonly #windowMs: number;
  readonly #waiting: () => boolean;
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
    this.#deadline = performance.now() + this.#windowMs;
    if (this.#turning) return;
    this.#turning = true;
    setImmediate(this.#turn);
  }

  readonly #turn = (): void => {
    if (this.#waiting() && performance.now() < this.#deadline) setImmediate(this.#turn);
    else this.#turning = false;
  };
}

/** What sparesACpu needs of a worker. */
interface PollingWorker {
  readonly sharesMemory: boolean;
  readonly unanswered: number;
}

/**
 * Whether the pool may keep its loop turning for `worker`'s answers. For a
 * thread, always (its answers arrive on a port the pool's loop reads). For a
 * process, only while a CPU is left over for the pool: fewer process workers
 * have tasks out than the CPUs this process may use. Its answer crosses a pipe
 * and, with the pool's process asleep, waits for that process to wake (60–250
 * µs on a 2-core VM), which polling avoids; but a pool turning its loop on a
 * CPU that a busy worker needs takes from that worker (window throughput on
 * one CPU fell 7–19 %).
 */
export function sparesACpu(worker: PollingWorker, workers: Iterable<PollingWorker>, cpus: number): boolean {
  if (worker.sharesMemory) return true;
  let busy = 0;
  for (const other of workers) {
    if (!other.sharesMemory && other.unanswered > 0 && ++busy >= cpus) return false;
  }
  return true;
}
