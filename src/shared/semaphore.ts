import { LockReentrantError } from './errors.js';
import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { LockHold } from './lock-hold.js';
import { MAX_SLOTS, PermitTable } from './permit-table.js';
import { track } from './recovery.js';
import { assertMayBlock, THREAD_TAG } from './thread.js';
import { integerOption } from './validate.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';

/** What a `Semaphore` crosses into a task as: `semaphore.toHandle()`, rebuilt with `Semaphore.from(handle)`. */
export type SemaphoreHandle = Handle<'spindle:semaphore'>;

const WHAT = 'a semaphore permit';

/**
 * A counting semaphore in shared memory: at most `permits` holders at once,
 * across threads. Each permit records its holder, so the permits of a pool
 * worker that dies are given back (the next holder of one sees `ownerDied`).
 *
 * `await acquire()` never blocks the thread; `acquireSync()` blocks (worker
 * threads only), and reports `ERR_LOCK_REENTRANT` when this thread holds
 * every permit itself. Each acquire takes one permit and `{ timeout, signal }`.
 */
export class Semaphore {
  // Structurally a Recoverable (recovery.ts) and a HoldOwner (lock-hold.ts), not declared so: the API reference
  // would point at internal interfaces.
  readonly #buffer: SharedArrayBuffer;
  readonly #view: Int32Array;
  readonly #permits: PermitTable;
  /** @internal */
  readonly holdName = WHAT;

  /** @param permits how many holders at once, 1 to 65,536 */
  constructor(permits: number) {
    const adopted = takeAdopted();
    if (adopted === undefined) integerOption('permits', permits, 1, MAX_SLOTS);
    this.#buffer = adopted ?? new SharedArrayBuffer(PermitTable.words(permits) * Int32Array.BYTES_PER_ELEMENT);
    this.#view = new Int32Array(this.#buffer);
    if (adopted === undefined) PermitTable.initialize(this.#view, 0, permits);
    this.#permits = new PermitTable(this.#view, 0, 1);
    track(this);
  }

  /** Rebuilds a semaphore around the memory of `semaphore.toHandle()`, typically in a task. */
  static from(handle: SemaphoreHandle): Semaphore {
    checkHandle(handle, 'spindle:semaphore', 'Semaphore', PermitTable.words(1) * Int32Array.BYTES_PER_ELEMENT);
    PermitTable.checkMemory(handle.buffer, 0, 'Semaphore');
    return adopt(handle.buffer, () => new Semaphore(0));
  }

  /** Plain data to pass to a task; the memory is shared, not copied. */
  toHandle(): SemaphoreHandle {
    return { kind: 'spindle:semaphore', buffer: this.#buffer };
  }

  /** The number of permits it was created with. */
  get permits(): number {
    return this.#permits.count;
  }

  /** Permits free now (a snapshot, stale at once). */
  get available(): number {
    return this.#permits.count - this.#permits.held();
  }

  /** Takes a permit if one is free, at once; undefined otherwise. */
  tryAcquire(): LockHold | undefined {
    const slot = this.#permits.tryTake(THREAD_TAG);
    return slot < 0 ? undefined : this.#hold(slot);
  }

  /**
   * Waits for a permit, blocking this thread (worker threads only).
   * @throws ERR_BLOCKING_MAIN_THREAD on the main thread; ERR_LOCK_REENTRANT when this thread holds every permit;
   *   ERR_WAIT_TIMEOUT, ERR_WAIT_ABORTED.
   */
  acquireSync(options?: WaitOptions): LockHold {
    assertMayBlock('Semaphore#acquireSync()', 'await semaphore.acquire()');
    checkWaitStart(options, WHAT);
    const slot = this.#permits.tryTake(THREAD_TAG);
    if (slot >= 0) return this.#hold(slot);
    const deadline = options === undefined ? undefined : new Deadline(options, WHAT);
    for (;;) {
      const seen = this.#permits.releases();
      const taken = this.#permits.tryTake(THREAD_TAG);
      if (taken >= 0) return this.#hold(taken);
      if (this.#permits.held(THREAD_TAG) === this.#permits.count) {
        throw new LockReentrantError(`This thread holds all ${String(this.#permits.count)} permits: acquireSync() would wait for itself forever`);
      }
      this.#permits.blockUntilRelease(seen, deadline);
    }
  }

  /**
   * Waits for a permit without blocking the thread.
   * @throws ERR_WAIT_TIMEOUT, ERR_WAIT_ABORTED (the promise rejects).
   */
  async acquire(options?: WaitOptions): Promise<LockHold> {
    const deadline = options === undefined ? undefined : Deadline.start(options, WHAT);
    for (;;) {
      const seen = this.#permits.releases();
      const taken = this.#permits.tryTake(THREAD_TAG);
      if (taken >= 0) return this.#hold(taken);
      await this.#permits.waitForRelease(seen, deadline);
    }
  }

  /** Runs `work` holding a permit (taken with `acquire()`), and gives it back however `work` ends. */
  async withPermit<T>(work: (hold: LockHold) => T | Promise<T>, options?: WaitOptions): Promise<T> {
    const hold = await this.acquire(options);
    try {
      return await work(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  /** Runs `work` holding a permit (taken with `acquireSync()`, worker threads only), and gives it back however `work` ends. */
  withPermitSync<T>(work: (hold: LockHold) => T, options?: WaitOptions): T {
    const hold = this.acquireSync(options);
    try {
      return work(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  #hold(slot: number): LockHold {
    return new LockHold(this, slot, this.#permits.takeOwnerDied());
  }

  /** @internal */
  releaseHold(slot: number): boolean {
    return this.#permits.release(slot, THREAD_TAG);
  }

  /** @internal */
  releaseHeldBy(deadTag: number): boolean {
    return this.#permits.recover(deadTag, true);
  }
}
