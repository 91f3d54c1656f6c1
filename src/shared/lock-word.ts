/**
 * The lock word shared by `Mutex` and the writer side of `ReadWriteLock`: a
 * robust futex in one `Int32Array` element (bits in slots.ts, LOCK_BITS).
 *
 *   free            0                          (or OWNER_DIED: free, last holder died)
 *   held            tag                        fast path: compareExchange(0 → tag)
 *   held, sleepers  tag | WAITERS              a waiter sets WAITERS before it sleeps
 *
 * Release exchanges the word for 0 and notifies one sleeper only if WAITERS
 * was set, so an uncontended lock/unlock is two atomic operations and never
 * calls into the futex. A woken waiter cannot tell whether others still
 * sleep, so it takes the lock with WAITERS set (Drepper, "Futexes Are
 * Tricky", mutex 3): at worst one needless notify.
 *
 * A holder that dies leaves its tag; recoverWord() (run from the worker's
 * exit) swaps it for OWNER_DIED and wakes a sleeper, which takes the lock and
 * reports that the protected data may be half-updated. The flag is reported
 * once, to the next holder, and cleared by its acquire.
 */
import { LOCK_BITS } from './slots.js';
import { blockOnce, waitOnce, type Deadline } from './wait.js';

const { TAG_MASK, OWNER_DIED, WAITERS } = LOCK_BITS;

export const NOT_ACQUIRED = -1;
export const ACQUIRED = 0;
export const ACQUIRED_OWNER_DIED = 1;
export type AcquireResult = typeof NOT_ACQUIRED | typeof ACQUIRED | typeof ACQUIRED_OWNER_DIED;

/** Loads of the word a blocking acquire makes before it sleeps: a holder often lets go within a few hundred nanoseconds. */
const SPINS_BEFORE_SLEEP = 64;

/** The tag of the holder, 0 when free. */
export const holderOf = (view: Int32Array, index: number): number => Atomics.load(view, index) & TAG_MASK;

/** One attempt. `contended`: the caller has slept, so others may sleep too, and the word keeps WAITERS. */
export function tryAcquireWord(view: Int32Array, index: number, tag: number, contended: boolean): AcquireResult {
  let current = Atomics.compareExchange(view, index, 0, contended ? tag | WAITERS : tag);
  if (current === 0) return ACQUIRED;
  while ((current & TAG_MASK) === 0) {
    const seen = Atomics.compareExchange(view, index, current, tag | (current & WAITERS) | (contended ? WAITERS : 0));
    if (seen === current) return (current & OWNER_DIED) === 0 ? ACQUIRED : ACQUIRED_OWNER_DIED;
    current = seen;
  }
  return NOT_ACQUIRED;
}

/**
 * The word held by someone else, with WAITERS set, for a waiter to sleep on;
 * 0 when it is free or changed meanwhile (look again). Throws through
 * `onOwnHold` when this very thread holds it: blocking on it would never end.
 *
 * Never a value without WAITERS: a release notifies only when WAITERS is set,
 * and a word can come back to the very value a waiter read (the holder lets
 * go and takes it again), so a sleep on a value without it could miss the
 * release for good. Every change that clears WAITERS notifies.
 */
export function sleepValue(view: Int32Array, index: number, tag: number, onOwnHold: (() => never) | undefined): number {
  const current = Atomics.load(view, index);
  const holder = current & TAG_MASK;
  if (holder === 0) return 0;
  if (holder === tag && onOwnHold !== undefined) onOwnHold();
  if ((current & WAITERS) !== 0) return current;
  return Atomics.compareExchange(view, index, current, current | WAITERS) === current ? current | WAITERS : 0;
}

/** Blocks until this thread holds the word (worker threads only). */
export function acquireWordSync(view: Int32Array, index: number, tag: number, deadline: Deadline | undefined, onOwnHold: () => never): AcquireResult {
  for (let spin = 0; spin < SPINS_BEFORE_SLEEP; spin++) {
    if ((Atomics.load(view, index) & TAG_MASK) === 0) {
      const result = tryAcquireWord(view, index, tag, false);
      if (result !== NOT_ACQUIRED) return result;
    }
  }
  for (let slept = false; ; ) {
    const result = tryAcquireWord(view, index, tag, slept);
    if (result !== NOT_ACQUIRED) return result;
    const expected = sleepValue(view, index, tag, onOwnHold);
    if (expected !== 0) {
      blockOnce(view, index, expected, deadline);
      slept = true;
    }
  }
}

/** Resolves when this thread holds the word, never blocking the thread. */
export async function acquireWordAsync(view: Int32Array, index: number, tag: number, deadline: Deadline | undefined): Promise<AcquireResult> {
  for (let slept = false; ; ) {
    const result = tryAcquireWord(view, index, tag, slept);
    if (result !== NOT_ACQUIRED) return result;
    // Held by this thread too is fine here: another async function of this thread may release it.
    const expected = sleepValue(view, index, tag, undefined);
    if (expected !== 0) {
      await waitOnce(view, index, expected, deadline);
      slept = true;
    }
  }
}

/** Releases the word if `tag` holds it; false otherwise. Wakes one sleeper, or all with `wakeAll`. */
export function releaseWord(view: Int32Array, index: number, tag: number, wakeAll: boolean): boolean {
  // Uncontended: the word is exactly our tag, and one compareExchange frees it.
  const current = Atomics.compareExchange(view, index, tag, 0);
  if (current === tag) return true;
  if ((current & TAG_MASK) !== tag) return false;
  // Sleepers: only the holder changes the tag; others may only have added WAITERS since.
  const previous = Atomics.exchange(view, index, 0);
  if ((previous & WAITERS) !== 0) Atomics.notify(view, index, wakeAll ? Infinity : 1);
  return true;
}

/** Frees the word if the dead thread `deadTag` held it, marking OWNER_DIED for the next holder. */
export function recoverWord(view: Int32Array, index: number, deadTag: number, wakeAll: boolean): boolean {
  let current = Atomics.load(view, index);
  while ((current & TAG_MASK) === deadTag) {
    const seen = Atomics.compareExchange(view, index, current, OWNER_DIED | (current & WAITERS));
    if (seen === current) {
      if ((current & WAITERS) !== 0) Atomics.notify(view, index, wakeAll ? Infinity : 1);
      return true;
    }
    current = seen;
  }
  return false;
}

/** Whether the word records that its last holder died (and no one has taken it since). */
export const ownerDiedPending = (view: Int32Array, index: number): boolean => (Atomics.load(view, index) & OWNER_DIED) !== 0;
