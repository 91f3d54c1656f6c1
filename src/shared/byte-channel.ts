import { ByteChannelReader } from './byte-channel-reader.js';
import { ByteChannelWriter } from './byte-channel-writer.js';
import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { track } from './recovery.js';
import { Ring } from './ring.js';
import { RING } from './slots.js';
import { integerOption, optionsObject } from './validate.js';

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
