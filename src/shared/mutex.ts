import { LockReentrantError } from './errors.js';
import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { LockHold } from './lock-hold.js';
import { acquireWordAsync, acquireWordSync, ACQUIRED_OWNER_DIED, holderOf, NOT_ACQUIRED, recoverWord, releaseWord, tryAcquireWord } from './lock-word.js';
import { track } from './recovery.js';
import { MUTEX } from './slots.js';
import { assertMayBlock, isMainThread, THREAD_TAG, threadIdOf } from './thread.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';

/** What a `Mutex` crosses into a task as: `mutex.toHandle()`, rebuilt with `Mutex.from(handle)`. */
export type MutexHandle = Handle<'spindle:mutex'>;

const WHAT = 'the mutex';
// The fast paths read module-local constants: through the imports (isMainThread, THREAD_TAG, MUTEX.LOCK) the same
// uncontended lock/unlock took 33-35 ns instead of 26 ns in the bench (a hand-written Atomics lock: 21 ns).
const MAY_BLOCK = !isMainThread;
const LOCK = MUTEX.LOCK;
const TAG = THREAD_TAG;

/**
 * A mutual-exclusion lock in shared memory, for code on several threads
 * (the main thread and pool workers) that updates the same data.
 *
 * - `await mutex.lock()` never blocks the thread (`Atomics.waitAsync`): the
 *   form for the main thread, and for async code anywhere.
 * - `mutex.lockSync()` blocks (`Atomics.wait`): worker threads only; on the
 *   main thread it throws `ERR_BLOCKING_MAIN_THREAD`. A thread that already
 *   holds the mutex gets `ERR_LOCK_REENTRANT` instead of a hang.
 * - Both take `{ timeout, signal }`.
 * - The holder is recorded; when a pool worker dies holding the mutex, it is
 *   released and the next hold reports `ownerDied`.
 *
 * Not re-entrant, and fair only as the futex is: a releasing thread may take
 * it again before a sleeper wakes.
 */
export class Mutex {
  // Structurally a Recoverable (recovery.ts) and a HoldOwner (lock-hold.ts), not declared so: the API reference
  // would point at internal interfaces.
  readonly #buffer: SharedArrayBuffer;
  readonly #view: Int32Array;
  /** @internal */
  readonly holdName = WHAT;

  constructor() {
    this.#buffer = takeAdopted() ?? new SharedArrayBuffer(MUTEX.WORDS * Int32Array.BYTES_PER_ELEMENT);
    this.#view = new Int32Array(this.#buffer, 0, MUTEX.WORDS);
    track(this);
  }

  /** Rebuilds a mutex around the memory of `mutex.toHandle()`, typically in a task. */
  static from(handle: MutexHandle): Mutex {
    checkHandle(handle, 'spindle:mutex', 'Mutex', MUTEX.WORDS * Int32Array.BYTES_PER_ELEMENT);
    return adopt(handle.buffer, () => new Mutex());
  }

  /** Plain data to pass to a task (`pool.run('task', mutex.toHandle())`); the memory is shared, not copied. */
  toHandle(): MutexHandle {
    return { kind: 'spindle:mutex', buffer: this.#buffer };
  }

  /** Takes the mutex if it is free, at once; undefined if it is held (by anyone, this thread included). */
  tryLock(): LockHold | undefined {
    const result = tryAcquireWord(this.#view, LOCK, TAG, false);
    return result === NOT_ACQUIRED ? undefined : new LockHold(this, 0, result === ACQUIRED_OWNER_DIED);
  }

  /**
   * Waits for the mutex, blocking this thread (worker threads only).
   * @throws ERR_BLOCKING_MAIN_THREAD on the main thread; ERR_LOCK_REENTRANT when this thread holds it;
   *   ERR_WAIT_TIMEOUT, ERR_WAIT_ABORTED.
   */
  lockSync(options?: WaitOptions): LockHold {
    // Small enough to inline where it is called: the uncontended case is one compareExchange, as in a hand-written lock.
    if (!MAY_BLOCK || options !== undefined || Atomics.compareExchange(this.#view, LOCK, 0, TAG) !== 0) return this.#lockSyncSlowly(options);
    return new LockHold(this, 0, false);
  }

  #lockSyncSlowly(options: WaitOptions | undefined): LockHold {
    assertMayBlock('Mutex#lockSync()', 'await mutex.lock()');
    checkWaitStart(options, WHAT);
    let result = tryAcquireWord(this.#view, LOCK, TAG, false);
    if (result === NOT_ACQUIRED) {
      result = acquireWordSync(this.#view, LOCK, TAG, options === undefined ? undefined : new Deadline(options, WHAT), reentrant);
    }
    return new LockHold(this, 0, result === ACQUIRED_OWNER_DIED);
  }

  /**
   * Waits for the mutex without blocking the thread. Another async function
   * of the same thread may hold it: this waits for its release.
   * @throws ERR_WAIT_TIMEOUT, ERR_WAIT_ABORTED (the promise rejects).
   */
  async lock(options?: WaitOptions): Promise<LockHold> {
    const deadline = options === undefined ? undefined : Deadline.start(options, WHAT);
    const result = await acquireWordAsync(this.#view, LOCK, TAG, deadline);
    return new LockHold(this, 0, result === ACQUIRED_OWNER_DIED);
  }

  /** Runs `critical` holding the mutex (taken with `lock()`), and releases it however `critical` ends. */
  async withLock<T>(critical: (hold: LockHold) => T | Promise<T>, options?: WaitOptions): Promise<T> {
    const hold = await this.lock(options);
    try {
      return await critical(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  /** Runs `critical` holding the mutex (taken with `lockSync()`, worker threads only), and releases it however `critical` ends. */
  withLockSync<T>(critical: (hold: LockHold) => T, options?: WaitOptions): T {
    const hold = this.lockSync(options);
    try {
      return critical(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  /** Whether some thread holds the mutex now (a snapshot, stale at once: for diagnostics and tests). */
  get locked(): boolean {
    return holderOf(this.#view, LOCK) !== 0;
  }

  /** The `threadId` of the holder now (0 for the main thread), undefined when free. A snapshot, for diagnostics. */
  get holderThreadId(): number | undefined {
    const tag = holderOf(this.#view, LOCK);
    return tag === 0 ? undefined : threadIdOf(tag);
  }

  /** @internal */
  releaseHold(): boolean {
    return Atomics.compareExchange(this.#view, LOCK, TAG, 0) === TAG || releaseWord(this.#view, LOCK, TAG, false);
  }

  /** @internal */
  releaseHeldBy(deadTag: number): boolean {
    return recoverWord(this.#view, LOCK, deadTag, false);
  }
}

function reentrant(): never {
  throw new LockReentrantError('This thread already holds the mutex: lockSync() would wait for itself forever (a Mutex is not re-entrant)');
}
