import { powerOfTwoAtLeast } from './byte-channel.js';
import { ChannelEndTakenError } from './errors.js';
import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { RecordCodec, recordMemory, type RecordMemory } from './record-codec.js';
import { track } from './recovery.js';
import { Ring } from './ring.js';
import type { RecordOf, Schema } from './schema.js';
import { RING } from './slots.js';
import { assertMayBlock } from './thread.js';
import { integerOption, optionsObject } from './validate.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';

/** What a `RecordChannel` crosses into a task as: `channel.toHandle()`, rebuilt with `RecordChannel.from(handle)`. */
export interface RecordChannelHandle<S extends Schema = Schema> extends Handle<'spindle:record-channel'> {
  readonly schema: S;
}

export interface RecordChannelOptions {
  /**
   * Records the channel buffers, rounded up to a power of two (1 to 2^24).
   * @default 1_024
   */
  readonly capacity?: number;
}

const MAX_CAPACITY = 2 ** 24;
const DATA = 'a record on the channel';
const ROOM = 'room on the channel';

/**
 * A single-producer single-consumer stream of typed records (the fields of
 * a schema, as `SharedCell` and `SharedRecords` take) through shared memory.
 * Each record takes one slot of the ring, written whole and read whole.
 * The same ends, waits, back-pressure, close and dead-peer rules as
 * `ByteChannel`.
 */
export class RecordChannel<const S extends Schema> {
  readonly #ring: Ring;
  readonly #schema: S;
  readonly #codec: RecordCodec<S>;

  constructor(schema: S, options?: RecordChannelOptions) {
    const adopted = takeAdopted();
    this.#codec = new RecordCodec(schema);
    this.#schema = schema;
    if (adopted === undefined) {
      const capacity = integerOption('capacity', optionsObject(options, 'options').capacity ?? 1_024, 1, MAX_CAPACITY);
      this.#ring = Ring.create(powerOfTwoAtLeast(capacity), this.#codec.size);
    } else {
      this.#ring = new Ring(adopted, this.#codec.size);
    }
    track(this.#ring);
  }

  static from<S extends Schema>(handle: RecordChannelHandle<S>): RecordChannel<S> {
    checkHandle(handle, 'spindle:record-channel', 'RecordChannel', RING.DATA_BYTE_OFFSET);
    return adopt(handle.buffer, () => new RecordChannel<S>(handle.schema));
  }

  toHandle(): RecordChannelHandle<S> {
    return { kind: 'spindle:record-channel', buffer: this.#ring.buffer, schema: this.#schema };
  }

  /** Records the channel buffers. */
  get capacity(): number {
    return this.#ring.capacity;
  }

  /** Records written and not yet read (a snapshot). */
  get buffered(): number {
    return this.#ring.readable();
  }

  writer(): RecordChannelWriter<S> {
    this.#ring.claim('writer');
    return new RecordChannelWriter(this.#ring, this.#codec);
  }

  reader(): RecordChannelReader<S> {
    this.#ring.claim('reader');
    return new RecordChannelReader(this.#ring, this.#codec);
  }
}

/** The writing end of a `RecordChannel`. */
export class RecordChannelWriter<S extends Schema> {
  readonly #ring: Ring;
  #released = false;
  readonly #codec: RecordCodec<S>;
  readonly #slots: RecordMemory;
  #scratch: RecordMemory | undefined;

  /** @internal Made by `channel.writer()`. */
  constructor(ring: Ring, codec: RecordCodec<S>) {
    this.#ring = ring;
    this.#codec = codec;
    this.#slots = recordMemory(ring.data.buffer, ring.data.byteOffset, ring.data.byteLength);
  }

  /**
   * Writes `record` if there is room, at once; false when the channel is full.
   * ERR_INVALID_ARGUMENT for a missing or wrong field (nothing is written).
   */
  tryWrite(record: RecordOf<S>): boolean {
    if (this.#released) throw new ChannelEndTakenError('writer', undefined);
    const ring = this.#ring;
    ring.throwIfWriterStopped();
    const writeIndex = ring.writeIndex;
    if (ring.freeFor(writeIndex, 1) === 0) {
      this.#scratch ??= recordMemory(new ArrayBuffer(this.#codec.size));
      this.#codec.encode(record, this.#scratch, 0); // reports a bad record even when full
      return false;
    }
    // Encoded straight into its slot: only the writer touches a free slot, and the reader sees it only after commitWrite().
    this.#codec.encode(record, this.#slots, (writeIndex & ring.mask) * ring.unitBytes);
    ring.commitWrite(writeIndex, 1);
    return true;
  }

  /** Writes `record`, blocking while the channel is full (worker threads only). */
  writeSync(record: RecordOf<S>, options?: WaitOptions): void {
    assertMayBlock('RecordChannelWriter#writeSync()', 'await writer.write()');
    checkWaitStart(options, ROOM);
    if (this.tryWrite(record)) return;
    const deadline = options === undefined ? undefined : new Deadline(options, ROOM);
    do this.#ring.blockUntilFree(1, deadline);
    while (!this.tryWrite(record));
  }

  /** Writes `record`, waiting while the channel is full without blocking the thread. */
  async write(record: RecordOf<S>, options?: WaitOptions): Promise<void> {
    const deadline = options === undefined ? undefined : Deadline.start(options, ROOM);
    while (!this.tryWrite(record)) await this.#ring.waitUntilFree(1, deadline);
  }

  close(): void {
    this.#ring.close('writer');
  }

  release(): void {
    this.#released = true;
    this.#ring.unclaim('writer');
  }
}

/** The reading end of a `RecordChannel`. Also an async iterable of the records, until the end. */
export class RecordChannelReader<S extends Schema> implements AsyncIterable<RecordOf<S>> {
  readonly #ring: Ring;
  #released = false;
  readonly #codec: RecordCodec<S>;
  readonly #slots: RecordMemory;

  /** @internal Made by `channel.reader()`. */
  constructor(ring: Ring, codec: RecordCodec<S>) {
    this.#ring = ring;
    this.#codec = codec;
    this.#slots = recordMemory(ring.data.buffer, ring.data.byteOffset, ring.data.byteLength);
  }

  /** The next record if one is buffered; undefined if none is yet; null at the end. */
  tryRead(): RecordOf<S> | undefined | null {
    if (this.#released) throw new ChannelEndTakenError('reader', undefined);
    const ring = this.#ring;
    const readIndex = ring.readIndex;
    if (ring.readableFor(readIndex, 1) === 0) return ring.readerAtEnd() ? null : undefined;
    const record = this.#codec.decode(this.#slots, (readIndex & ring.mask) * ring.unitBytes);
    ring.commitRead(readIndex, 1);
    return record;
  }

  /** Waits for the next record, blocking (worker threads only); null at the end. */
  readSync(options?: WaitOptions): RecordOf<S> | null {
    assertMayBlock('RecordChannelReader#readSync()', 'await reader.read()');
    checkWaitStart(options, DATA);
    let record = this.tryRead();
    if (record !== undefined) return record;
    const deadline = options === undefined ? undefined : new Deadline(options, DATA);
    while (record === undefined) {
      this.#ring.blockUntilReadable(deadline);
      record = this.tryRead();
    }
    return record;
  }

  /** Waits for the next record without blocking the thread; null at the end. */
  async read(options?: WaitOptions): Promise<RecordOf<S> | null> {
    const deadline = options === undefined ? undefined : Deadline.start(options, DATA);
    let record = this.tryRead();
    while (record === undefined) {
      await this.#ring.waitUntilReadable(deadline);
      record = this.tryRead();
    }
    return record;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordOf<S>, void, undefined> {
    for (let record = await this.read(); record !== null; record = await this.read()) yield record;
  }

  close(): void {
    this.#ring.close('reader');
  }

  release(): void {
    this.#released = true;
    this.#ring.unclaim('reader');
  }
}
