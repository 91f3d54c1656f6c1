import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { track } from './recovery.js';
import { Ring } from './ring.js';
import { RING } from './slots.js';
import { assertMayBlock } from './thread.js';
import { failArgument, integerOption, optionsObject } from './validate.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';

/** What a `ByteChannel` crosses into a task as: `channel.toHandle()`, rebuilt with `ByteChannel.from(handle)`. */
export type ByteChannelHandle = Handle<'spindle:byte-channel'>;

export interface ByteChannelOptions {
  /**
   * Bytes the channel buffers, rounded up to a power of two (16 bytes to 1 GiB).
   * A writer waits (back-pressure) while it is full.
   * @default 65_536
   */
  readonly capacity?: number;
}

const MAX_CAPACITY = 2 ** 30;
const DATA = 'data on the channel';
const ROOM = 'room on the channel';

/** The power of two at or above `value`. */
export const powerOfTwoAtLeast = (value: number): number => 2 ** Math.ceil(Math.log2(value));

/**
 * A single-producer single-consumer stream of bytes through shared memory:
 * one thread writes, another reads, without a message per chunk. The writer
 * waits while the ring is full (back-pressure), the reader while it is
 * empty; each end can block (worker threads) or await (any thread), and
 * `close()` ends the stream.
 *
 *     // pool side                                // in the task
 *     const channel = new ByteChannel();          const out = ByteChannel.from(handle).writer();
 *     const input = channel.reader();             out.writeSync(bytes); … out.close();
 *     pool.run('produce', channel.toHandle());
 *     for await (const chunk of input) use(chunk);
 *
 * Each end is held by one thread at a time (`writer()` and `reader()` take
 * it; ERR_CHANNEL_END_TAKEN while another thread holds it). When a pool
 * worker holding an end dies, the other end gets ERR_CHANNEL_PEER_DIED
 * (a reader after it has read what was written) instead of waiting forever.
 */
export class ByteChannel {
  readonly #ring: Ring;

  constructor(options?: ByteChannelOptions) {
    const adopted = takeAdopted();
    if (adopted === undefined) {
      const capacity = integerOption('capacity', optionsObject(options, 'options').capacity ?? 65_536, 1, MAX_CAPACITY);
      this.#ring = Ring.create(Math.max(16, powerOfTwoAtLeast(capacity)), 1);
    } else {
      this.#ring = new Ring(adopted, 1);
    }
    track(this.#ring);
  }

  static from(handle: ByteChannelHandle): ByteChannel {
    checkHandle(handle, 'spindle:byte-channel', 'ByteChannel', RING.DATA_BYTE_OFFSET);
    return adopt(handle.buffer, () => new ByteChannel());
  }

  toHandle(): ByteChannelHandle {
    return { kind: 'spindle:byte-channel', buffer: this.#ring.buffer };
  }

  /** Bytes the channel buffers. */
  get capacity(): number {
    return this.#ring.capacity;
  }

  /** Bytes written and not yet read (a snapshot). */
  get buffered(): number {
    return this.#ring.readable();
  }

  /** Takes the writing end for this thread. */
  writer(): ByteChannelWriter {
    this.#ring.claim('writer');
    return new ByteChannelWriter(this.#ring);
  }

  /** Takes the reading end for this thread. */
  reader(): ByteChannelReader {
    this.#ring.claim('reader');
    return new ByteChannelReader(this.#ring);
  }
}

/** The writing end of a `ByteChannel`. */
export class ByteChannelWriter {
  readonly #ring: Ring;

  /** @internal Made by `channel.writer()`. */
  constructor(ring: Ring) {
    this.#ring = ring;
  }

  /**
   * Writes as much of `bytes` as there is room for, at once, and returns how
   * many bytes it wrote (0 when the channel is full).
   * @throws ERR_CHANNEL_CLOSED, ERR_CHANNEL_PEER_DIED
   */
  tryWrite(bytes: Uint8Array): number {
    if (!(bytes instanceof Uint8Array)) failArgument('bytes', 'a Uint8Array (a Buffer is one)', bytes);
    const ring = this.#ring;
    ring.throwIfWriterStopped();
    const count = Math.min(ring.free(), bytes.length);
    if (count === 0) return 0;
    const at = ring.writeIndex & ring.mask;
    const first = Math.min(count, ring.capacity - at);
    ring.data.set(first === bytes.length ? bytes : bytes.subarray(0, first), at);
    if (count > first) ring.data.set(bytes.subarray(first, count), 0);
    ring.commitWrite(count);
    return count;
  }

  /** Writes all of `bytes`, blocking while the channel is full (worker threads only). */
  writeSync(bytes: Uint8Array, options?: WaitOptions): void {
    assertMayBlock('ByteChannelWriter#writeSync()', 'await writer.write()');
    checkWaitStart(options, ROOM);
    let written = this.tryWrite(bytes);
    if (written === bytes.length) return;
    const deadline = options === undefined ? undefined : new Deadline(options, ROOM);
    while (written < bytes.length) {
      this.#ring.blockUntilFree(this.#enough(bytes.length - written), deadline);
      written += this.tryWrite(bytes.subarray(written));
    }
  }

  /** Writes all of `bytes`, waiting while the channel is full without blocking the thread. */
  async write(bytes: Uint8Array, options?: WaitOptions): Promise<void> {
    const deadline = options === undefined ? undefined : Deadline.start(options, ROOM);
    let written = this.tryWrite(bytes);
    while (written < bytes.length) {
      await this.#ring.waitUntilFree(this.#enough(bytes.length - written), deadline);
      written += this.tryWrite(bytes.subarray(written));
    }
  }

  /** Room worth waking up for: what is left to write, or a quarter of the ring, whichever is less (fewer, larger steps). */
  #enough(left: number): number {
    return Math.min(left, Math.max(1, this.#ring.capacity >>> 2));
  }

  /** Ends the stream: the reader reads what is buffered, then gets the end. Writing afterwards throws ERR_CHANNEL_CLOSED. */
  close(): void {
    this.#ring.close('writer');
  }

  /** Lets go of the writing end without closing, so another thread may take it with `writer()`. */
  release(): void {
    this.#ring.unclaim('writer');
  }
}

/** The reading end of a `ByteChannel`. Also an async iterable of chunks (copies, up to 64 KiB each). */
export class ByteChannelReader implements AsyncIterable<Uint8Array> {
  readonly #ring: Ring;

  /** @internal Made by `channel.reader()`. */
  constructor(ring: Ring) {
    this.#ring = ring;
  }

  /**
   * Reads what is buffered, up to `into.length` bytes, at once. Returns how
   * many bytes it read (0 when none are buffered yet), or null at the end
   * (the writer closed the channel and everything is read).
   * @throws ERR_CHANNEL_PEER_DIED when the writer died, once its data is read
   */
  tryRead(into: Uint8Array): number | null {
    if (!(into instanceof Uint8Array)) failArgument('into', 'a Uint8Array (a Buffer is one)', into);
    const ring = this.#ring;
    const count = Math.min(ring.readable(), into.length);
    if (count === 0) return into.length > 0 && ring.readerAtEnd() ? null : 0;
    const at = ring.readIndex & ring.mask;
    const first = Math.min(count, ring.capacity - at);
    into.set(ring.data.subarray(at, at + first));
    if (count > first) into.set(ring.data.subarray(0, count - first), first);
    ring.commitRead(count);
    return count;
  }

  /** Waits for data, blocking (worker threads only), and reads it: at least 1 byte, or null at the end. */
  readSync(into: Uint8Array, options?: WaitOptions): number | null {
    assertMayBlock('ByteChannelReader#readSync()', 'await reader.read()');
    checkWaitStart(options, DATA);
    let read = this.tryRead(into);
    if (read !== 0 || into.length === 0) return read;
    const deadline = options === undefined ? undefined : new Deadline(options, DATA);
    while (read === 0) {
      this.#ring.blockUntilReadable(deadline);
      read = this.tryRead(into);
    }
    return read;
  }

  /** Waits for data without blocking the thread, and reads it: at least 1 byte, or null at the end. */
  async read(into: Uint8Array, options?: WaitOptions): Promise<number | null> {
    const deadline = options === undefined ? undefined : Deadline.start(options, DATA);
    let read = this.tryRead(into);
    while (read === 0 && into.length > 0) {
      await this.#ring.waitUntilReadable(deadline);
      read = this.tryRead(into);
    }
    return read;
  }

  /** Chunks as they arrive (copies of at most `maxBytes`), until the end. */
  async *chunks(options?: WaitOptions & { readonly maxBytes?: number }): AsyncGenerator<Uint8Array, void, undefined> {
    const maxBytes = integerOption('maxBytes', options?.maxBytes ?? 65_536, 1, MAX_CAPACITY);
    for (;;) {
      const deadline = options === undefined ? undefined : Deadline.start(options, DATA);
      while (this.#ring.readable() === 0 && !this.#ring.readerAtEnd()) await this.#ring.waitUntilReadable(deadline);
      const chunk = new Uint8Array(Math.min(maxBytes, Math.max(1, this.#ring.readable())));
      const read = this.tryRead(chunk);
      if (read === null) return;
      yield read === chunk.length ? chunk : chunk.slice(0, read);
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    return this.chunks();
  }

  /** Stops reading: the writer's next write throws ERR_CHANNEL_CLOSED. */
  close(): void {
    this.#ring.close('reader');
  }

  /** Lets go of the reading end without closing, so another thread may take it with `reader()`. */
  release(): void {
    this.#ring.unclaim('reader');
  }
}
