/**
 * A permit table: `count` slots, each free (0) or holding its holder's tag,
 * from a base index of an `Int32Array` (layout in slots.ts, PERMITS). Used by
 * `Semaphore` (its permits) and `ReadWriteLock` (its readers).
 *
 * Taking a permit is one compareExchange(0 → tag) on a free slot, so a
 * permit is never held without its holder recorded, and a dead thread's
 * permits are found by their tag. Threads start their scan at different
 * slots (tag modulo count) to spread out the contention.
 *
 * Waiting: a waiter reads RELEASES, scans, and sleeps on RELEASES with the
 * value it read. Every release frees its slot and then bumps RELEASES, so a
 * release the scan missed has changed RELEASES before the waiter sleeps and
 * `Atomics.wait` returns at once. Releases notify only while WAITERS > 0.
 */
import { PERMITS } from './slots.js';
import { failArgument } from './validate.js';
import { blockOnce, waitOnce, type Deadline } from './wait.js';

/** The most slots a table may have: 65,536 (a semaphore's permits, a read-write lock's readers at once). */
export const MAX_SLOTS = 65_536;

export class PermitTable {
  readonly #view: Int32Array;
  readonly #base: number;
  readonly #count: number;
  /** How many sleepers a release wakes: one for a semaphore, all for a read-write lock (its writer waits on the same word). */
  readonly #wake: number;

  constructor(view: Int32Array, base: number, wake: number) {
    this.#view = view;
    this.#base = base;
    this.#count = Atomics.load(view, base + PERMITS.COUNT);
    this.#wake = wake;
  }

  /** The words a table of `count` slots takes. */
  static words(count: number): number {
    return PERMITS.SLOTS + count;
  }

  /** Writes the slot count into fresh memory. */
  static initialize(view: Int32Array, base: number, count: number): void {
    Atomics.store(view, base + PERMITS.COUNT, count);
  }

  /** ERR_INVALID_ARGUMENT unless `buffer` holds a table of a plausible count from `base` (a handle's memory, before adopting it). */
  static checkMemory(buffer: SharedArrayBuffer, base: number, structure: string): void {
    const count = Atomics.load(new Int32Array(buffer), base + PERMITS.COUNT);
    if (count < 1 || count > MAX_SLOTS || buffer.byteLength < (base + PermitTable.words(count)) * Int32Array.BYTES_PER_ELEMENT) {
      failArgument('handle.buffer', `the memory of a ${structure}`, `${String(buffer.byteLength)} bytes, ${String(count)} slots`);
    }
  }

  get count(): number {
    return this.#count;
  }

  /** Takes a free slot for `tag`; its index, or -1 when all are taken. */
  tryTake(tag: number): number {
    const view = this.#view;
    const first = this.#base + PERMITS.SLOTS;
    const count = this.#count;
    for (let step = 0, slot = tag % count; step < count; step++, slot = slot + 1 === count ? 0 : slot + 1) {
      if (Atomics.load(view, first + slot) === 0 && Atomics.compareExchange(view, first + slot, 0, tag) === 0) return first + slot;
    }
    return -1;
  }

  /** Consumes one owner-died report left by recover(), if any: whether this new holder should see `ownerDied`. */
  takeOwnerDied(): boolean {
    const index = this.#base + PERMITS.DIED_PENDING;
    for (let pending = Atomics.load(this.#view, index); pending > 0; ) {
      const seen = Atomics.compareExchange(this.#view, index, pending, pending - 1);
      if (seen === pending) return true;
      pending = seen;
    }
    return false;
  }

  /** Frees `slot` if `tag` holds it; false otherwise. */
  release(slot: number, tag: number): boolean {
    if (Atomics.compareExchange(this.#view, slot, tag, 0) !== tag) return false;
    this.#announceRelease(this.#wake);
    return true;
  }

  #announceRelease(wake: number): void {
    Atomics.add(this.#view, this.#base + PERMITS.RELEASES, 1);
    if (Atomics.load(this.#view, this.#base + PERMITS.WAITERS) > 0) Atomics.notify(this.#view, this.#base + PERMITS.RELEASES, wake);
  }

  /** How many slots `tag` holds (all slots when `tag` is undefined: how many are taken). */
  held(tag?: number): number {
    let held = 0;
    const first = this.#base + PERMITS.SLOTS;
    for (let slot = first; slot < first + this.#count; slot++) {
      const holder = Atomics.load(this.#view, slot);
      if (tag === undefined ? holder !== 0 : holder === tag) held++;
    }
    return held;
  }

  /** The value of RELEASES to sleep on, read before a scan. */
  releases(): number {
    return Atomics.load(this.#view, this.#base + PERMITS.RELEASES);
  }

  /** Sleeps until a release after `seen` (or the deadline's next slice). */
  blockUntilRelease(seen: number, deadline: Deadline | undefined): void {
    Atomics.add(this.#view, this.#base + PERMITS.WAITERS, 1);
    try {
      blockOnce(this.#view, this.#base + PERMITS.RELEASES, seen, deadline);
    } finally {
      Atomics.sub(this.#view, this.#base + PERMITS.WAITERS, 1);
    }
  }

  async waitForRelease(seen: number, deadline: Deadline | undefined): Promise<void> {
    Atomics.add(this.#view, this.#base + PERMITS.WAITERS, 1);
    try {
      await waitOnce(this.#view, this.#base + PERMITS.RELEASES, seen, deadline);
    } finally {
      Atomics.sub(this.#view, this.#base + PERMITS.WAITERS, 1);
    }
  }

  /** Frees every slot the dead thread `deadTag` held; with `reportOwnerDied`, the next as many holders see `ownerDied`. */
  recover(deadTag: number, reportOwnerDied: boolean): boolean {
    let freed = 0;
    const first = this.#base + PERMITS.SLOTS;
    for (let slot = first; slot < first + this.#count; slot++) {
      if (Atomics.compareExchange(this.#view, slot, deadTag, 0) === deadTag) freed++;
    }
    if (freed === 0) return false;
    if (reportOwnerDied) Atomics.add(this.#view, this.#base + PERMITS.DIED_PENDING, freed);
    this.#announceRelease(Infinity);
    return true;
  }
}
