import { ChannelEndTakenError } from './errors.js';
import type { Ring } from './ring.js';
import { assertMayBlock } from './thread.js';
import { failArgument, integerOption } from './validate.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';

const DATA = 'data on the channel';
const MAX_CHUNK_BYTES = 2 ** 30;

/** The reading end of a `ByteChannel`. Also an async iterable of chunks (copies, up to 64 KiB each). */
export class ByteChannelReader implements AsyncIterable<Uint8Array> {
  readonly #ring: Ring;
  #released = false;
  /** Bytes the last peek showed and `consume()` has not freed yet. */
  #peeked = 0;

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
    if (this.#released) throw new ChannelEndTakenError('reader', undefined);
    this.#peeked = 0;
    const ring = this.#ring;
    const readIndex = ring.readIndex;
    const count = Math.min(ring.readableFor(readIndex, into.length), into.length);
    if (count === 0) return into.length > 0 && ring.readerAtEnd() ? null : 0;
    const at = readIndex & ring.mask;
    const first = Math.min(count, ring.capacity - at);
    into.set(ring.bytesAt(at, first));
    if (count > first) into.set(ring.bytesAt(0, count - first), first);
    ring.commitRead(readIndex, count);
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

  /**
   * The bytes buffered now, in place in the shared memory, without a copy:
   * a view of the readable bytes up to the end of the ring (the rest, after
   * it wraps, comes with the next peek). Empty when nothing is buffered
   * yet; null at the end. Read the view, then `consume(count)` to free what
   * you are done with; the writer may overwrite the bytes once consumed.
   */
  tryPeek(): Uint8Array | null {
    if (this.#released) throw new ChannelEndTakenError('reader', undefined);
    const ring = this.#ring;
    const readIndex = ring.readIndex;
    const at = readIndex & ring.mask;
    const count = Math.min(ring.readableFor(readIndex, ring.capacity - at), ring.capacity - at);
    this.#peeked = count;
    if (count === 0) return ring.readerAtEnd() ? null : ring.bytesAt(0, 0);
    return ring.bytesAt(at, count);
  }

  /** Waits for data, blocking (worker threads only), and returns it in place as `tryPeek()` does: at least 1 byte, or null at the end. */
  peekSync(options?: WaitOptions): Uint8Array | null {
    assertMayBlock('ByteChannelReader#peekSync()', 'await reader.peek()');
    checkWaitStart(options, DATA);
    let view = this.tryPeek();
    if (view === null || view.length > 0) return view;
    const deadline = options === undefined ? undefined : new Deadline(options, DATA);
    while (view?.length === 0) {
      this.#ring.blockUntilReadable(deadline);
      view = this.tryPeek();
    }
    return view;
  }

  /** Waits for data without blocking the thread, and returns it in place as `tryPeek()` does: at least 1 byte, or null at the end. */
  async peek(options?: WaitOptions): Promise<Uint8Array | null> {
    const deadline = options === undefined ? undefined : Deadline.start(options, DATA);
    let view = this.tryPeek();
    while (view?.length === 0) {
      await this.#ring.waitUntilReadable(deadline);
      view = this.tryPeek();
    }
    return view;
  }

  /** Frees the first `count` bytes of the last peek, for the writer. ERR_INVALID_ARGUMENT past what that peek showed. */
  consume(count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.#peeked) failArgument('count', `an integer from 0 to ${String(this.#peeked)} (the bytes of the last peek not yet consumed)`, count);
    if (count === 0) return;
    this.#peeked -= count;
    const ring = this.#ring;
    ring.commitRead(ring.readIndex, count);
  }

  /** Chunks as they arrive (copies of at most `maxBytes`), until the end. */
  async *chunks(options?: WaitOptions & { readonly maxBytes?: number }): AsyncGenerator<Uint8Array, void, undefined> {
    const maxBytes = integerOption('maxBytes', options?.maxBytes ?? 65_536, 1, MAX_CHUNK_BYTES);
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
    this.#released = true;
    this.#ring.unclaim('reader');
  }
}
