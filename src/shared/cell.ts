import { CellBusyError } from './errors.js';
import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { RecordCodec, recordMemory, type RecordMemory } from './record-codec.js';
import { track } from './recovery.js';
import type { RecordOf, Schema } from './schema.js';
import { CELL } from './slots.js';
import { assertMayBlock, THREAD_TAG, threadIdOf } from './thread.js';
import { failArgument } from './validate.js';
import { blockOnce, checkWaitStart, Deadline, waitOnce, type WaitOptions } from './wait.js';

/** What a `SharedCell` crosses into a task as: `cell.toHandle()`, rebuilt with `SharedCell.from(handle)`. */
export interface SharedCellHandle<S extends Schema = Schema> extends Handle<'spindle:cell'> {
  readonly schema: S;
}

/** A value of a cell with the number of writes that led to it. */
export interface CellSnapshot<S extends Schema> {
  readonly version: number;
  readonly value: RecordOf<S>;
}

/** Loads of the writer word a write makes while another thread's write finishes, before it reports ERR_CELL_BUSY. */
const BUSY_SPINS = 10_000;
const WHAT = 'the cell to change';

/**
 * A record (fields of a schema) that one thread writes and any thread reads
 * whole, without locks and without ever seeing half a write: the status or
 * progress of a long task, read live by the pool side.
 *
 * Two copies: a write goes into the spare copy, then publishes it by bumping
 * VERSION; a read copies the copy VERSION names and checks afterwards that
 * no write into that copy has started meanwhile (WRITE_SEQ), else reads
 * again. Every word is copied with `Atomics` (the data included), so the
 * check is sound on every CPU, and a writer that dies mid-write only leaves
 * the spare copy half-written: readers never wait for a writer and never
 * see a torn record.
 *
 *     VERSION = 6 → copy 0 holds write #6 (readers read it)
 *     WRITE_SEQ = 7 → write #7 is filling copy 1
 *
 * One writer at a time: a write while another thread's write is in progress
 * spins briefly, then throws ERR_CELL_BUSY (it never blocks). Guard writes
 * from several threads with a `Mutex`.
 */
export class SharedCell<const S extends Schema> {
  // Structurally a Recoverable (recovery.ts), not declared so: the API reference
  // would point at internal interfaces.
  readonly #buffer: SharedArrayBuffer;
  readonly #view: Int32Array;
  readonly #schema: S;
  readonly #codec: RecordCodec<S>;
  readonly #copyWords: number;
  /** This thread's staging area for a copy: records are encoded and decoded here, then moved word by word. */
  readonly #scratchWords: Int32Array;
  readonly #scratch: RecordMemory;

  constructor(schema: S, initial: RecordOf<S>) {
    const adopted = takeAdopted();
    this.#codec = new RecordCodec(schema);
    this.#schema = schema;
    this.#copyWords = Math.ceil(this.#codec.size / Int32Array.BYTES_PER_ELEMENT);
    this.#scratchWords = new Int32Array(this.#copyWords);
    this.#scratch = recordMemory(this.#scratchWords.buffer);
    const bytes = CELL.DATA_BYTE_OFFSET + 2 * this.#copyWords * Int32Array.BYTES_PER_ELEMENT;
    if (adopted !== undefined && adopted.byteLength < bytes) failArgument('handle.buffer', `at least ${String(bytes)} bytes for this schema`, adopted.byteLength);
    this.#buffer = adopted ?? new SharedArrayBuffer(bytes);
    this.#view = new Int32Array(this.#buffer);
    if (adopted === undefined) {
      this.#codec.encode(initial, this.#scratch, 0);
      this.#copyIn(0);
    }
    track(this);
  }

  static from<S extends Schema>(handle: SharedCellHandle<S>): SharedCell<S> {
    checkHandle(handle, 'spindle:cell', 'SharedCell', CELL.DATA_BYTE_OFFSET);
    return adopt(handle.buffer, () => new SharedCell<S>(handle.schema, undefined as unknown as RecordOf<S>));
  }

  toHandle(): SharedCellHandle<S> {
    return { kind: 'spindle:cell', buffer: this.#buffer, schema: this.#schema };
  }

  /** Writes completed so far. */
  get version(): number {
    return Atomics.load(this.#view, CELL.VERSION);
  }

  /** The latest complete value. Never blocks, never sees half a write. */
  read(): RecordOf<S> {
    return this.snapshot().value;
  }

  /** The latest complete value with its version. */
  snapshot(): CellSnapshot<S> {
    const view = this.#view;
    for (;;) {
      const version = Atomics.load(view, CELL.VERSION);
      this.#copyOut(version & 1);
      // A write into the copy just read is write #version + 2; it announces itself in WRITE_SEQ before touching it.
      if (((Atomics.load(view, CELL.WRITE_SEQ) - version) | 0) <= 1) return { version, value: this.#codec.decode(this.#scratch, 0) };
    }
  }

  /** Replaces the value. ERR_INVALID_ARGUMENT for a field of the wrong type (nothing is written); ERR_CELL_BUSY if another thread is writing. */
  write(value: RecordOf<S>): void {
    this.#codec.encode(value, this.#scratch, 0);
    this.#claim();
    const view = this.#view;
    const next = (Atomics.load(view, CELL.VERSION) + 1) | 0;
    Atomics.store(view, CELL.WRITE_SEQ, next);
    this.#copyIn(next & 1);
    Atomics.store(view, CELL.VERSION, next);
    Atomics.store(view, CELL.WRITER, 0);
    if (Atomics.load(view, CELL.WAITERS) > 0) Atomics.notify(view, CELL.VERSION, Infinity);
  }

  /** Writes the latest value with `changes` applied, and returns what it wrote. */
  update(changes: Partial<RecordOf<S>>): RecordOf<S> {
    const value = { ...this.read(), ...changes };
    this.write(value);
    return value;
  }

  /** Resolves with the first value whose version is not `since` (at once if the cell has moved on), never blocking the thread. */
  async waitForChange(since: number, options?: WaitOptions): Promise<CellSnapshot<S>> {
    const deadline = options === undefined ? undefined : Deadline.start(options, WHAT);
    Atomics.add(this.#view, CELL.WAITERS, 1);
    try {
      while (Atomics.load(this.#view, CELL.VERSION) === since) await waitOnce(this.#view, CELL.VERSION, since, deadline);
    } finally {
      Atomics.sub(this.#view, CELL.WAITERS, 1);
    }
    return this.snapshot();
  }

  /** Blocks until the version is not `since`, and returns that value (worker threads only). */
  waitForChangeSync(since: number, options?: WaitOptions): CellSnapshot<S> {
    assertMayBlock('SharedCell#waitForChangeSync()', 'await cell.waitForChange()');
    checkWaitStart(options, WHAT);
    const deadline = options === undefined ? undefined : new Deadline(options, WHAT);
    Atomics.add(this.#view, CELL.WAITERS, 1);
    try {
      while (Atomics.load(this.#view, CELL.VERSION) === since) blockOnce(this.#view, CELL.VERSION, since, deadline);
    } finally {
      Atomics.sub(this.#view, CELL.WAITERS, 1);
    }
    return this.snapshot();
  }

  #claim(): void {
    const view = this.#view;
    for (let spin = 0; ; spin++) {
      const writer = Atomics.compareExchange(view, CELL.WRITER, 0, THREAD_TAG);
      if (writer === 0) return;
      if (spin === BUSY_SPINS) throw new CellBusyError(threadIdOf(writer));
    }
  }

  #copyIn(copy: number): void {
    const view = this.#view;
    const from = this.#scratchWords;
    const base = CELL.DATA_BYTE_OFFSET / Int32Array.BYTES_PER_ELEMENT + copy * this.#copyWords;
    for (let word = 0; word < from.length; word++) Atomics.store(view, base + word, from[word] as number);
  }

  #copyOut(copy: number): void {
    const view = this.#view;
    const to = this.#scratchWords;
    const base = CELL.DATA_BYTE_OFFSET / Int32Array.BYTES_PER_ELEMENT + copy * this.#copyWords;
    for (let word = 0; word < to.length; word++) to[word] = Atomics.load(view, base + word);
  }

  /** @internal A writer that died mid-write: its spare copy is abandoned, the published one stands. */
  releaseHeldBy(deadTag: number): boolean {
    if (Atomics.load(this.#view, CELL.WRITER) !== deadTag) return false;
    Atomics.store(this.#view, CELL.WRITE_SEQ, Atomics.load(this.#view, CELL.VERSION));
    return Atomics.compareExchange(this.#view, CELL.WRITER, deadTag, 0) === deadTag;
  }
}
