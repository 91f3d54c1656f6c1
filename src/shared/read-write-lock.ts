import { LockReentrantError } from './errors.js';
import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { LockHold } from './lock-hold.js';
import { acquireWordAsync, acquireWordSync, ACQUIRED_OWNER_DIED, holderOf, NOT_ACQUIRED, ownerDiedPending, recoverWord, releaseWord, sleepValue, tryAcquireWord } from './lock-word.js';
import { MAX_SLOTS, PermitTable } from './permit-table.js';
import { track } from './recovery.js';
import { LOCK_BITS, READ_WRITE_LOCK } from './slots.js';
import { assertMayBlock, THREAD_TAG } from './thread.js';
import { integerOption, optionsObject } from './validate.js';
import { blockOnce, checkWaitStart, Deadline, waitOnce, type WaitOptions } from './wait.js';

/** What a `ReadWriteLock` crosses into a task as: `lock.toHandle()`, rebuilt with `ReadWriteLock.from(handle)`. */
export type ReadWriteLockHandle = Handle<'spindle:read-write-lock'>;

export interface ReadWriteLockOptions {
  /**
   * The most read holds at once, across threads: each records its holder in
   * a slot, so a dead reader's holds can be given back. A reader past it
   * waits for a slot. 1 to 65,536.
   * @default 64
   */
  readonly maxReaders?: number;
}

const WRITE = 'the write lock';
const READ = 'a read lock';
/** The hold slot of a write hold; read holds use their permit slot, which is never 0. */
const WRITER_SLOT = 0;
const { WRITER, READERS } = READ_WRITE_LOCK;
const { TAG_MASK } = LOCK_BITS;

/**
 * Many readers or one writer, in shared memory. Writers go first: once a
 * writer waits, new readers wait behind it, so readers cannot starve it.
 *
 * The writer's word is a robust lock word (as `Mutex`); readers take slots
 * that record their holder (as `Semaphore`). A writer that dies is replaced
 * by the next holder with `ownerDied` (readers see it too until a writer
 * takes the lock); a reader that dies gives its slot back.
 *
 * The `…Sync` forms block (worker threads only) and report
 * `ERR_LOCK_REENTRANT` where waiting would wait for this thread itself:
 * write after read, read after write, or another read while a writer waits.
 */
export class ReadWriteLock {
  // Structurally a Recoverable (recovery.ts) and a HoldOwner (lock-hold.ts), not declared so: the API reference
  // would point at internal interfaces.
  readonly #buffer: SharedArrayBuffer;
  readonly #view: Int32Array;
  readonly #readers: PermitTable;
  /** @internal */
  readonly holdName = 'the read-write lock';

  constructor(options?: ReadWriteLockOptions) {
    const adopted = takeAdopted();
    const maxReaders = adopted === undefined ? integerOption('maxReaders', optionsObject(options, 'options').maxReaders ?? 64, 1, MAX_SLOTS) : 0;
    this.#buffer = adopted ?? new SharedArrayBuffer((READERS + PermitTable.words(maxReaders)) * Int32Array.BYTES_PER_ELEMENT);
    this.#view = new Int32Array(this.#buffer);
    if (adopted === undefined) PermitTable.initialize(this.#view, READERS, maxReaders);
    this.#readers = new PermitTable(this.#view, READERS, Infinity);
    track(this);
  }

  static from(handle: ReadWriteLockHandle): ReadWriteLock {
    checkHandle(handle, 'spindle:read-write-lock', 'ReadWriteLock', (READERS + PermitTable.words(1)) * Int32Array.BYTES_PER_ELEMENT);
    PermitTable.checkMemory(handle.buffer, READERS, 'ReadWriteLock');
    return adopt(handle.buffer, () => new ReadWriteLock());
  }

  toHandle(): ReadWriteLockHandle {
    return { kind: 'spindle:read-write-lock', buffer: this.#buffer };
  }

  get maxReaders(): number {
    return this.#readers.count;
  }

  /** Read holds now, across threads (a snapshot). */
  get readers(): number {
    return this.#readers.held();
  }

  /** Whether a writer holds the lock, or holds its word while it waits for readers to leave (a snapshot). */
  get writeLocked(): boolean {
    return holderOf(this.#view, WRITER) !== 0;
  }

  tryReadLock(): LockHold | undefined {
    if (holderOf(this.#view, WRITER) !== 0) return undefined;
    const slot = this.#readers.tryTake(THREAD_TAG);
    if (slot < 0) return undefined;
    if (holderOf(this.#view, WRITER) === 0) return this.#readHold(slot);
    this.#readers.release(slot, THREAD_TAG);
    return undefined;
  }

  tryWriteLock(): LockHold | undefined {
    const result = tryAcquireWord(this.#view, WRITER, THREAD_TAG, false);
    if (result === NOT_ACQUIRED) return undefined;
    if (this.#readers.held() === 0) return new LockHold(this, WRITER_SLOT, result === ACQUIRED_OWNER_DIED);
    releaseWord(this.#view, WRITER, THREAD_TAG, true);
    return undefined;
  }

  /** Waits for a read hold, blocking this thread (worker threads only). */
  readLockSync(options?: WaitOptions): LockHold {
    assertMayBlock('ReadWriteLock#readLockSync()', 'await lock.readLock()');
    checkWaitStart(options, READ);
    const deadline = options === undefined ? undefined : new Deadline(options, READ);
    for (;;) {
      const writer = Atomics.load(this.#view, WRITER);
      if ((writer & TAG_MASK) !== 0) {
        if ((writer & TAG_MASK) === THREAD_TAG) throw new LockReentrantError('This thread holds the write lock: readLockSync() would wait for itself forever');
        if (this.#readers.held(THREAD_TAG) > 0) throw new LockReentrantError('This thread holds a read lock while a writer waits for it to leave: readLockSync() would wait for that writer, which waits for this thread');
        // A reader sleeps on the writer's word only with WAITERS set in it (see sleepValue); 0: it changed, look again.
        const expected = sleepValue(this.#view, WRITER, THREAD_TAG, undefined);
        if (expected !== 0) blockOnce(this.#view, WRITER, expected, deadline);
        continue;
      }
      const seen = this.#readers.releases();
      const slot = this.#readers.tryTake(THREAD_TAG);
      if (slot < 0) {
        if (this.#readers.held(THREAD_TAG) === this.#readers.count) throw new LockReentrantError('This thread holds every read slot: readLockSync() would wait for itself forever');
        this.#readers.blockUntilRelease(seen, deadline);
      } else if (holderOf(this.#view, WRITER) === 0) {
        return this.#readHold(slot);
      } else {
        this.#readers.release(slot, THREAD_TAG);
      }
    }
  }

  /** Waits for a read hold without blocking the thread. */
  async readLock(options?: WaitOptions): Promise<LockHold> {
    const deadline = options === undefined ? undefined : Deadline.start(options, READ);
    for (;;) {
      const writer = Atomics.load(this.#view, WRITER);
      if ((writer & TAG_MASK) !== 0) {
        const expected = sleepValue(this.#view, WRITER, THREAD_TAG, undefined);
        if (expected !== 0) await waitOnce(this.#view, WRITER, expected, deadline);
        continue;
      }
      const seen = this.#readers.releases();
      const slot = this.#readers.tryTake(THREAD_TAG);
      if (slot < 0) await this.#readers.waitForRelease(seen, deadline);
      else if (holderOf(this.#view, WRITER) === 0) return this.#readHold(slot);
      else this.#readers.release(slot, THREAD_TAG);
    }
  }

  /** Waits for the write hold, blocking this thread (worker threads only). */
  writeLockSync(options?: WaitOptions): LockHold {
    assertMayBlock('ReadWriteLock#writeLockSync()', 'await lock.writeLock()');
    checkWaitStart(options, WRITE);
    const deadline = options === undefined ? undefined : new Deadline(options, WRITE);
    let result = tryAcquireWord(this.#view, WRITER, THREAD_TAG, false);
    if (result === NOT_ACQUIRED) {
      result = acquireWordSync(this.#view, WRITER, THREAD_TAG, deadline, () => {
        throw new LockReentrantError('This thread holds the write lock: writeLockSync() would wait for itself forever (a ReadWriteLock is not re-entrant)');
      });
    }
    try {
      for (;;) {
        const seen = this.#readers.releases();
        if (this.#readers.held() === 0) return new LockHold(this, WRITER_SLOT, result === ACQUIRED_OWNER_DIED);
        if (this.#readers.held(THREAD_TAG) > 0) throw new LockReentrantError('This thread holds a read lock: writeLockSync() would wait for it to be released forever (release it first)');
        this.#readers.blockUntilRelease(seen, deadline);
      }
    } catch (error) {
      releaseWord(this.#view, WRITER, THREAD_TAG, true);
      throw error;
    }
  }

  /** Waits for the write hold without blocking the thread. */
  async writeLock(options?: WaitOptions): Promise<LockHold> {
    const deadline = options === undefined ? undefined : Deadline.start(options, WRITE);
    const result = await acquireWordAsync(this.#view, WRITER, THREAD_TAG, deadline);
    try {
      for (;;) {
        const seen = this.#readers.releases();
        if (this.#readers.held() === 0) return new LockHold(this, WRITER_SLOT, result === ACQUIRED_OWNER_DIED);
        await this.#readers.waitForRelease(seen, deadline);
      }
    } catch (error) {
      releaseWord(this.#view, WRITER, THREAD_TAG, true);
      throw error;
    }
  }

  async withReadLock<T>(read: (hold: LockHold) => T | Promise<T>, options?: WaitOptions): Promise<T> {
    const hold = await this.readLock(options);
    try {
      return await read(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  async withWriteLock<T>(write: (hold: LockHold) => T | Promise<T>, options?: WaitOptions): Promise<T> {
    const hold = await this.writeLock(options);
    try {
      return await write(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  withReadLockSync<T>(read: (hold: LockHold) => T, options?: WaitOptions): T {
    const hold = this.readLockSync(options);
    try {
      return read(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  withWriteLockSync<T>(write: (hold: LockHold) => T, options?: WaitOptions): T {
    const hold = this.writeLockSync(options);
    try {
      return write(hold);
    } finally {
      hold[Symbol.dispose]();
    }
  }

  /** A read hold; `ownerDied` while the last writer died and no writer has taken the lock since. */
  #readHold(slot: number): LockHold {
    return new LockHold(this, slot, ownerDiedPending(this.#view, WRITER));
  }

  /** @internal */
  releaseHold(slot: number): boolean {
    return slot === WRITER_SLOT ? releaseWord(this.#view, WRITER, THREAD_TAG, true) : this.#readers.release(slot, THREAD_TAG);
  }

  /** @internal */
  releaseHeldBy(deadTag: number): boolean {
    const writer = recoverWord(this.#view, WRITER, deadTag, true);
    const readers = this.#readers.recover(deadTag, false);
    return writer || readers;
  }
}
