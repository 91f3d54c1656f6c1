import { LockNotHeldError } from './errors.js';

/** What a hold releases through: the structure it was taken from. */
export interface HoldOwner {
  /** Releases the hold on `slot` (a permit's slot; 0 for a lock); false if this thread no longer holds it. */
  releaseHold(slot: number): boolean;
  readonly holdName: string;
}

/**
 * One acquisition of a lock, a read or write lock, or a semaphore permit:
 * released once, by `release()` or at the end of a `using` block.
 *
 *     using hold = mutex.lockSync();    // or: const hold = await mutex.lock(); try { … } finally { hold.release(); }
 *     if (hold.ownerDied) repair();     // the previous holder died while holding it
 */
export class LockHold implements Disposable {
  /**
   * True when the previous holder's thread died while holding this lock
   * (or permit): the data it protects may be half-updated. Reported to the
   * one hold that follows the death.
   */
  declare readonly ownerDied: boolean;
  // A hold is made on every acquire, so its fields are plain properties assigned in the constructor:
  // declared (or #private) class fields would each run an initializer, which costs a lock/unlock a third more.
  declare private owner: HoldOwner | undefined;
  declare private readonly slot: number;

  /** @internal Holds are made by the structures' acquire methods. */
  constructor(owner: HoldOwner, slot: number, ownerDied: boolean) {
    this.owner = owner;
    this.slot = slot;
    this.ownerDied = ownerDied;
  }

  /** Whether this hold is still held (not yet released). */
  get held(): boolean {
    return this.owner !== undefined;
  }

  /** Releases the hold. Throws ERR_LOCK_NOT_HELD when it was already released. */
  release(): void {
    const owner = this.owner;
    this.owner = undefined;
    if (owner === undefined || !owner.releaseHold(this.slot)) notHeld(owner);
  }

  /** Releases the hold if it is still held, so `using` and an explicit `release()` go together. */
  [Symbol.dispose](): void {
    if (this.owner !== undefined) this.release();
  }
}

function notHeld(owner: HoldOwner | undefined): never {
  throw new LockNotHeldError(
    owner === undefined ? 'This hold was already released' : `This thread no longer holds ${owner.holdName}: recoverDeadThread() was called for it while it was alive`,
  );
}
