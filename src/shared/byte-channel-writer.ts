import { ChannelEndTakenError } from './errors.js';
import type { Ring } from './ring.js';
import { assertMayBlock } from './thread.js';
import { failArgument } from './validate.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';

const ROOM = 'room on the channel';

/** The writing end of a `ByteChannel`. */
export class ByteChannelWriter {
  readonly #ring: Ring;
  #released = false;

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
    if (this.#released) throw new ChannelEndTakenError('writer', undefined);
    const ring = this.#ring;
    ring.throwIfWriterStopped();
    const writeIndex = ring.writeIndex;
    const count = Math.min(ring.freeFor(writeIndex, bytes.length), bytes.length);
    if (count === 0) return 0;
    const at = writeIndex & ring.mask;
    const first = Math.min(count, ring.capacity - at);
    ring.data.set(first === bytes.length ? bytes : bytes.subarray(0, first), at);
    if (count > first) ring.data.set(bytes.subarray(first, count), 0);
    ring.commitWrite(writeIndex, count);
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
    this.#released = true;
    this.#ring.unclaim('writer');
  }
}
