/**
 * The ring under both channels: a single-producer single-consumer queue of
 * fixed-size units (bytes, or records) in a `SharedArrayBuffer`, with the
 * indexes, sleeping, waking, closing and end-of-life rules (layout in
 * slots.ts, RING). The channels add the copying.
 *
 *   READ_INDEX             WRITE_INDEX                 indexes count units forever,
 *       ↓                       ↓                      wrapping at 2^32; a unit's place
 *   ┌───┬───┬───┬───┬───┬───┬───┬───┐                  is index & (capacity - 1)
 *   │   │ d │ d │ d │ d │ d │   │   │   readable = WRITE - READ,
 *   └───┴───┴───┴───┴───┴───┴───┴───┘   free = capacity - readable
 *
 * Each index has one writer (the producer owns WRITE_INDEX, the consumer
 * READ_INDEX). The producer copies data in with plain writes, then publishes
 * it with `Atomics.store(WRITE_INDEX)`; the consumer's `Atomics.load` of that
 * index makes the data visible to it (a sequentially consistent store read
 * by a load synchronizes, so the plain writes before it happen before the
 * reads after it). The same holds in reverse for freed room.
 *
 * Sleeping without lost wake-ups: a reader about to sleep reads READER_WAKE,
 * sets READER_SLEEPING, checks for data once more, and sleeps on READER_WAKE
 * with the value it read. The writer, after publishing, clears
 * READER_SLEEPING if set and then bumps READER_WAKE and notifies. Whatever
 * the interleaving, either the reader's last check sees the data or its
 * sleep sees READER_WAKE changed. `close()` and a peer's death bump the wake
 * words too. Writers wait for room the same way. Neither end calls
 * `Atomics.notify` (a costly call) unless the other end sleeps.
 */
import { ChannelClosedError, ChannelEndTakenError, ChannelPeerDiedError } from './errors.js';
import type { Recoverable } from './recovery.js';
import { RING, RING_STATE } from './slots.js';
import { THREAD_TAG, threadIdOf } from './thread.js';
import { failArgument } from './validate.js';
import { blockOnce, waitOnce, type Deadline } from './wait.js';

export type End = 'writer' | 'reader';

/**
 * How long a blocking wait polls before it sleeps, in ms (50 µs, as the
 * pool's own busy polling): putting a thread to sleep and waking it costs
 * 5–70 µs on a VM, while the other end of a busy stream is usually a few
 * microseconds from the next chunk. Async waits never poll: the thread has
 * an event loop to run.
 */
const POLL_BEFORE_SLEEP_MS = 0.05;
const { WRITER_CLOSED, READER_CLOSED, WRITER_DIED, READER_DIED } = RING_STATE;
/** What ends writing, and what ends reading once the data left is read. */
const STOPS_WRITER = WRITER_CLOSED | READER_CLOSED | WRITER_DIED | READER_DIED;
const STOPS_READER = WRITER_CLOSED | READER_CLOSED | WRITER_DIED;

export class Ring implements Recoverable {
  readonly buffer: SharedArrayBuffer;
  readonly #view: Int32Array;
  /** Units the ring holds, a power of two. */
  readonly capacity: number;
  readonly unitBytes: number;
  readonly mask: number;
  /** The data region, `capacity × unitBytes` bytes. */
  readonly data: Uint8Array;

  /** Fresh memory for a ring of `capacity` units (a power of two) of `unitBytes` bytes. */
  static create(capacity: number, unitBytes: number): Ring {
    const buffer = new SharedArrayBuffer(RING.DATA_BYTE_OFFSET + capacity * unitBytes);
    const header = new Int32Array(buffer, 0, RING.DATA_BYTE_OFFSET / Int32Array.BYTES_PER_ELEMENT);
    header[RING.CAPACITY] = capacity;
    header[RING.UNIT_BYTES] = unitBytes;
    return new Ring(buffer);
  }

  /** A ring over the memory of a handle; ERR_INVALID_ARGUMENT unless it holds one of `unitBytes`-byte units. */
  constructor(buffer: SharedArrayBuffer, unitBytes?: number) {
    if (buffer.byteLength < RING.DATA_BYTE_OFFSET) failArgument('handle.buffer', `at least ${String(RING.DATA_BYTE_OFFSET)} bytes for a channel`, buffer.byteLength);
    this.buffer = buffer;
    this.#view = new Int32Array(buffer, 0, RING.DATA_BYTE_OFFSET / Int32Array.BYTES_PER_ELEMENT);
    this.capacity = Atomics.load(this.#view, RING.CAPACITY);
    this.unitBytes = Atomics.load(this.#view, RING.UNIT_BYTES);
    const bytes = this.capacity * this.unitBytes;
    if (this.capacity < 1 || (this.capacity & (this.capacity - 1)) !== 0 || (unitBytes !== undefined && this.unitBytes !== unitBytes) || buffer.byteLength < RING.DATA_BYTE_OFFSET + bytes) {
      failArgument('handle.buffer', 'the memory of a channel of this kind', `${String(buffer.byteLength)} bytes, capacity ${String(this.capacity)} × ${String(this.unitBytes)} bytes`);
    }
    this.mask = this.capacity - 1;
    this.data = new Uint8Array(buffer, RING.DATA_BYTE_OFFSET, bytes);
  }

  /**
   * `count` bytes of the data region from byte `at`, in place. A view made
   * with the constructor: `data.subarray()` costs twice as much (it looks up
   * the species constructor), once per chunk read.
   */
  bytesAt(at: number, count: number): Uint8Array {
    return new Uint8Array(this.buffer, RING.DATA_BYTE_OFFSET + at, count);
  }

  /** Takes an end for this thread: ERR_CHANNEL_END_TAKEN while another thread holds it. */
  claim(end: End): void {
    const seen = Atomics.compareExchange(this.#view, tagSlot(end), 0, THREAD_TAG);
    if (seen !== 0 && seen !== THREAD_TAG) throw new ChannelEndTakenError(end, threadIdOf(seen));
    // Whoever held this end before may have moved the indexes on by any amount.
    this.#readIndexSeen = this.readIndex;
    this.#writeIndexSeen = this.writeIndex;
  }

  /** Lets go of an end this thread holds, so another thread may take it. */
  unclaim(end: End): void {
    Atomics.compareExchange(this.#view, tagSlot(end), THREAD_TAG, 0);
  }

  get state(): number {
    return Atomics.load(this.#view, RING.STATE);
  }

  get writeIndex(): number {
    return Atomics.load(this.#view, RING.WRITE_INDEX);
  }

  get readIndex(): number {
    return Atomics.load(this.#view, RING.READ_INDEX);
  }

  /** Units written and not yet read. */
  readable(): number {
    return (Atomics.load(this.#view, RING.WRITE_INDEX) - Atomics.load(this.#view, RING.READ_INDEX)) >>> 0;
  }

  /** Units of room. */
  free(): number {
    return this.capacity - this.readable();
  }

  /**
   * The writer's last look at READ_INDEX, and the reader's at WRITE_INDEX.
   * Each end reads the other's index only when its last look shows less
   * than it wants: a load of the other end's index is a cache miss (the
   * other core wrote it), so a stream of chunks costs one now and then
   * instead of one per chunk. A stale look is never wrong, only cautious:
   * the indexes only grow, so it shows less room (or data) than there is.
   */
  #readIndexSeen = 0;
  #writeIndexSeen = 0;

  /** Room for the writer whose WRITE_INDEX is `writeIndex`: at least `wanted` units if there are. */
  freeFor(writeIndex: number, wanted: number): number {
    let free = this.capacity - ((writeIndex - this.#readIndexSeen) >>> 0);
    if (free < wanted) {
      this.#readIndexSeen = Atomics.load(this.#view, RING.READ_INDEX);
      free = this.capacity - ((writeIndex - this.#readIndexSeen) >>> 0);
    }
    return free;
  }

  /** Units for the reader whose READ_INDEX is `readIndex`: at least `wanted` if there are. */
  readableFor(readIndex: number, wanted: number): number {
    let readable = (this.#writeIndexSeen - readIndex) >>> 0;
    if (readable < wanted) {
      this.#writeIndexSeen = Atomics.load(this.#view, RING.WRITE_INDEX);
      readable = (this.#writeIndexSeen - readIndex) >>> 0;
    }
    return readable;
  }

  /** Throws what stops the writer: ERR_CHANNEL_CLOSED (either end closed it) or ERR_CHANNEL_PEER_DIED (the reader died). */
  throwIfWriterStopped(): void {
    const state = this.state;
    if ((state & STOPS_WRITER) === 0) return;
    if ((state & READER_DIED) !== 0) throw new ChannelPeerDiedError('reader', Atomics.load(this.#view, RING.DEAD_THREAD));
    if ((state & WRITER_DIED) !== 0) throw new ChannelClosedError('The channel ended when its writer died');
    throw new ChannelClosedError((state & WRITER_CLOSED) !== 0 ? 'The channel was closed by its writer' : 'The channel was closed by its reader, which reads no more');
  }

  /**
   * For a reader that found nothing to read: true at the end of the stream
   * (the writer closed it and everything is read, or the reader closed it);
   * false while more may come. ERR_CHANNEL_PEER_DIED once the data of a
   * writer that died is all read.
   */
  readerAtEnd(): boolean {
    const state = this.state;
    if ((state & STOPS_READER) === 0) return false;
    // The writer may have written just before closing: its index is final now.
    if (this.readable() > 0) return false;
    if ((state & (WRITER_DIED | READER_CLOSED)) === WRITER_DIED) throw new ChannelPeerDiedError('writer', Atomics.load(this.#view, RING.DEAD_THREAD));
    return true;
  }

  /** Publishes `units` written after `writeIndex` (WRITE_INDEX), and wakes the reader if it sleeps. */
  commitWrite(writeIndex: number, units: number): void {
    Atomics.store(this.#view, RING.WRITE_INDEX, (writeIndex + units) | 0);
    if (Atomics.load(this.#view, RING.READER_SLEEPING) !== 0) this.#wake(RING.READER_SLEEPING, RING.READER_WAKE);
  }

  /** Frees `units` read after `readIndex` (READ_INDEX), and wakes the writer if it sleeps waiting for as much room as there is now. */
  commitRead(readIndex: number, units: number): void {
    Atomics.store(this.#view, RING.READ_INDEX, (readIndex + units) | 0);
    const needed = Atomics.load(this.#view, RING.WRITER_SLEEPING);
    if (needed !== 0 && this.free() >= needed) this.#wake(RING.WRITER_SLEEPING, RING.WRITER_WAKE);
  }

  close(end: End): void {
    Atomics.or(this.#view, RING.STATE, end === 'writer' ? WRITER_CLOSED : READER_CLOSED);
    this.unclaim(end);
    this.#wakeAll();
  }

  #readerMayGo = (): boolean => this.readable() > 0 || (this.state & STOPS_READER) !== 0;

  blockUntilReadable(deadline: Deadline | undefined): void {
    this.#block(RING.READER_SLEEPING, RING.READER_WAKE, 1, this.#readerMayGo, deadline);
  }

  waitUntilReadable(deadline: Deadline | undefined): Promise<void> {
    return this.#wait(RING.READER_SLEEPING, RING.READER_WAKE, 1, this.#readerMayGo, deadline);
  }

  /** Blocks until `units` are free (or writing has stopped). The reader wakes the writer only once that much room is free. */
  blockUntilFree(units: number, deadline: Deadline | undefined): void {
    this.#block(RING.WRITER_SLEEPING, RING.WRITER_WAKE, units, () => this.free() >= units || (this.state & STOPS_WRITER) !== 0, deadline);
  }

  waitUntilFree(units: number, deadline: Deadline | undefined): Promise<void> {
    return this.#wait(RING.WRITER_SLEEPING, RING.WRITER_WAKE, units, () => this.free() >= units || (this.state & STOPS_WRITER) !== 0, deadline);
  }

  /** `sleeping` holds what the sleeper needs (units; any non-zero value for the reader), so the other end wakes it only when that is there. */
  #block(sleeping: number, wake: number, needed: number, mayGo: () => boolean, deadline: Deadline | undefined): void {
    if (mayGo()) return;
    for (const until = performance.now() + POLL_BEFORE_SLEEP_MS; performance.now() < until; ) {
      for (let spin = 0; spin < 32; spin++) if (mayGo()) return;
    }
    const view = this.#view;
    for (;;) {
      const seen = Atomics.load(view, wake);
      Atomics.store(view, sleeping, needed);
      if (mayGo()) {
        Atomics.store(view, sleeping, 0);
        return;
      }
      blockOnce(view, wake, seen, deadline);
    }
  }

  async #wait(sleeping: number, wake: number, needed: number, mayGo: () => boolean, deadline: Deadline | undefined): Promise<void> {
    const view = this.#view;
    for (;;) {
      const seen = Atomics.load(view, wake);
      Atomics.store(view, sleeping, needed);
      if (mayGo()) {
        Atomics.store(view, sleeping, 0);
        return;
      }
      await waitOnce(view, wake, seen, deadline);
    }
  }

  #wake(sleeping: number, wake: number): void {
    const view = this.#view;
    if (Atomics.exchange(view, sleeping, 0) !== 0) {
      Atomics.add(view, wake, 1);
      Atomics.notify(view, wake, 1);
    }
  }

  #wakeAll(): void {
    for (const [sleeping, wake] of [[RING.READER_SLEEPING, RING.READER_WAKE], [RING.WRITER_SLEEPING, RING.WRITER_WAKE]] as const) {
      Atomics.store(this.#view, sleeping, 0);
      Atomics.add(this.#view, wake, 1);
      Atomics.notify(this.#view, wake, Infinity);
    }
  }

  /** @internal An end held by a dead thread: the channel ends, and the other end learns why. */
  releaseHeldBy(deadTag: number): boolean {
    let released = false;
    for (const end of ['writer', 'reader'] as const) {
      if (Atomics.compareExchange(this.#view, tagSlot(end), deadTag, 0) !== deadTag) continue;
      released = true;
      const closedBit = end === 'writer' ? WRITER_CLOSED : READER_CLOSED;
      if ((this.state & closedBit) !== 0) continue;
      Atomics.store(this.#view, RING.DEAD_THREAD, threadIdOf(deadTag));
      Atomics.or(this.#view, RING.STATE, end === 'writer' ? WRITER_DIED : READER_DIED);
    }
    if (released) this.#wakeAll();
    return released;
  }
}

const tagSlot = (end: End): number => (end === 'writer' ? RING.WRITER_TAG : RING.READER_TAG);
