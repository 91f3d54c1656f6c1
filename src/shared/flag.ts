import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { WATCHED } from './slots.js';
import { assertMayBlock } from './thread.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';
import { announceChange, blockUntil, waitUntil } from './watch.js';

/** What a `SharedFlag` crosses into a task as: `flag.toHandle()`, rebuilt with `SharedFlag.from(handle)`. */
export type SharedFlagHandle = Handle<'spindle:flag'>;

/** CHANGES, WAITERS and STATE, rounded up to 16 bytes. */
const BYTES = 16;
const WHAT = 'the flag to be set';

/**
 * A boolean in shared memory that threads wait on: "ready", "stop", "input
 * complete". `set()` wakes every waiter; `wait()` resolves at once if it is
 * already set. Stays set until `clear()`.
 */
export class SharedFlag {
  readonly #buffer: SharedArrayBuffer;
  readonly #header: Int32Array;

  constructor() {
    this.#buffer = takeAdopted() ?? new SharedArrayBuffer(BYTES);
    this.#header = new Int32Array(this.#buffer, 0, BYTES / Int32Array.BYTES_PER_ELEMENT);
  }

  static from(handle: SharedFlagHandle): SharedFlag {
    checkHandle(handle, 'spindle:flag', 'SharedFlag', BYTES);
    return adopt(handle.buffer, () => new SharedFlag());
  }

  toHandle(): SharedFlagHandle {
    return { kind: 'spindle:flag', buffer: this.#buffer };
  }

  get isSet(): boolean {
    return Atomics.load(this.#header, WATCHED.STATE) !== 0;
  }

  /** Sets the flag and wakes every waiter. Returns whether it was already set. */
  set(): boolean {
    const was = Atomics.exchange(this.#header, WATCHED.STATE, 1) !== 0;
    if (!was) announceChange(this.#header);
    return was;
  }

  /** Clears the flag. Returns whether it was set. */
  clear(): boolean {
    return Atomics.exchange(this.#header, WATCHED.STATE, 0) !== 0;
  }

  /** Resolves once the flag is set, never blocking the thread. */
  async wait(options?: WaitOptions): Promise<void> {
    const deadline = options === undefined ? undefined : Deadline.start(options, WHAT);
    await waitUntil(this.#header, () => (this.isSet ? true : undefined), deadline);
  }

  /** Blocks until the flag is set (worker threads only). */
  waitSync(options?: WaitOptions): void {
    assertMayBlock('SharedFlag#waitSync()', 'await flag.wait()');
    checkWaitStart(options, WHAT);
    blockUntil(this.#header, () => (this.isSet ? true : undefined), options === undefined ? undefined : new Deadline(options, WHAT));
  }
}
