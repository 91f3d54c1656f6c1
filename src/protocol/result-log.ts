import { Outcome, type OutcomeCode } from './messages.js';
import { LOG_BYTES, LOG_CAPACITY, LOG_COUNT, LOG_OFFSET } from './shared-slots.js';
import { ValueReader, ValueWriter } from './value-codec.js';
import { toWireError } from './wire-error.js';

/**
 * The result log: a worker holds results back to send many in one message,
 * and a worker can die at any moment (out of memory, terminated, its event
 * loop gone). So every result is also written, as its task finishes and
 * before the next one starts, into the worker's shared buffer, which the
 * pool owns and which outlives the worker. When the held results go out in
 * a message the log is cleared. When a worker ends, the pool reads the log
 * and settles the tasks it finds there with their own results, so a task
 * that finished is neither failed with its neighbour's error nor run again.
 *
 *   record: seq (uint32) · outcome (byte) · run time in µs (float64) · value length (uint32) · value (./value-codec.ts)
 *
 * Only the pool reads the log, and only after the worker's thread has ended
 * (which orders every write before the read), so plain writes suffice.
 */
export class ResultLogWriter {
  readonly #slots: Int32Array;
  readonly #writer: ValueWriter;
  #position = LOG_OFFSET;
  #count = 0;

  constructor(memory: SharedArrayBuffer) {
    this.#slots = new Int32Array(memory, 0, LOG_OFFSET / Int32Array.BYTES_PER_ELEMENT);
    this.#writer = new ValueWriter(memory, LOG_OFFSET + LOG_CAPACITY);
  }

  /**
   * Records one result. Returns false when it does not fit or cannot be
   * encoded; the caller must then send its held results at once.
   */
  record(seq: number, outcome: OutcomeCode, runTimeUs: number, value: unknown): boolean {
    const writer = this.#writer;
    let next = writer.writeUint32(seq, this.#position);
    next = writer.writeByte(outcome, next);
    next = writer.writeFloat64(runTimeUs, next);
    const lengthAt = next;
    const valueAt = writer.writeUint32(0, lengthAt);
    next = writer.write(value, valueAt);
    if (next < 0) return false;
    writer.writeUint32(next - valueAt, lengthAt);
    this.#position = next;
    this.#count++;
    this.#slots[LOG_BYTES] = next - LOG_OFFSET;
    this.#slots[LOG_COUNT] = this.#count;
    return true;
  }

  /** Forgets every record: their results went out in a message. */
  clear(): void {
    if (this.#count === 0) return;
    this.#count = 0;
    this.#position = LOG_OFFSET;
    this.#slots[LOG_COUNT] = 0;
    this.#slots[LOG_BYTES] = 0;
  }
}

export interface LoggedResult {
  readonly outcome: OutcomeCode;
  readonly value: unknown;
  readonly runTimeUs: number;
}

/**
 * The results in a dead worker's log, by sequence number. A value that
 * cannot be decoded here becomes a NotCloneable outcome: the task finished,
 * so it must not run again, but its result is lost.
 */
export function readResultLog(memory: SharedArrayBuffer): Map<number, LoggedResult> {
  const slots = new Int32Array(memory, 0, LOG_OFFSET / Int32Array.BYTES_PER_ELEMENT);
  const count = slots[LOG_COUNT] ?? 0;
  const results = new Map<number, LoggedResult>();
  const reader = new ValueReader(memory, LOG_OFFSET);
  for (let index = 0; index < count; index++) {
    const seq = reader.readUint32();
    const outcome = reader.readByte() as OutcomeCode;
    const runTimeUs = reader.readFloat64();
    const valueLength = reader.readUint32();
    const valueEnd = reader.position + valueLength;
    try {
      results.set(seq, { outcome, value: reader.read(), runTimeUs });
    } catch (error) {
      results.set(seq, { outcome: Outcome.NotCloneable, value: toWireError(error), runTimeUs });
    }
    reader.position = valueEnd;
  }
  return results;
}
