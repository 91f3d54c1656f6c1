/**
 * `pool.ready`: resolves once the first `count` workers have loaded the
 * module, rejects with the first start failure before that, or with the
 * error given when the pool closes first. It settles once; awaiting it is
 * optional, so its rejection never counts as unhandled.
 */
export class ReadyLatch {
  readonly promise: Promise<void>;
  #pending = 0;
  #settled = false;
  #resolve!: () => void;
  #reject!: (error: Error) => void;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.promise.catch(() => undefined);
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Waits for `count` workers (none: ready at once). */
  expect(count: number): void {
    this.#pending = count;
    if (count === 0) this.settle();
  }

  /** One of the first workers loaded. */
  workerReady(): void {
    if (this.#pending > 0 && --this.#pending === 0) this.settle();
  }

  /** Whether the first workers are still awaited (a start failure then rejects `ready`). */
  get waiting(): boolean {
    return !this.#settled && this.#pending > 0;
  }

  settle(error?: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#pending = 0;
    if (error === undefined) this.#resolve();
    else this.#reject(error);
  }
}
