/**
 * A compact encoding of values into shared memory, for the result log.
 * Numbers, strings, booleans, null, undefined, arrays and plain objects are
 * written directly (tens of nanoseconds for a small result: this runs after
 * every task); anything else (typed arrays, dates, maps, errors, bigints,
 * cyclic or very deep values) is written as `v8.serialize()` bytes, which
 * costs microseconds but handles every type structured clone does.
 *
 * Arrays are written element by element: holes come back as `undefined` and
 * extra properties of an array are dropped. The log is read only when a
 * worker died with results it had not yet sent, so that difference is
 * confined to that path.
 *
 *   tag (1 byte), then:  Number: float64 · String: uint32 length, UTF-16 code units
 *                        Array: uint32 length, items · Object: uint32 count, (key, value)…
 *                        Serialized: uint32 byte length, bytes
 */

import { deserialize, serialize } from './v8-serializer.js';

const Tag = {
  Undefined: 0,
  Null: 1,
  True: 2,
  False: 3,
  Number: 4,
  String: 5,
  Array: 6,
  Object: 7,
  Serialized: 8,
} as const;

/** Deeper values are serialized whole (which also handles cycles). */
const MAX_DEPTH = 16;
/** Shorter strings are copied a code unit at a time; longer ones through Buffer#write. */
const SHORT_STRING = 64;

/** Writes values into `[start, end)` of a shared buffer. */
export class ValueWriter {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #buffer: Buffer;
  readonly #end: number;

  constructor(memory: SharedArrayBuffer, end: number) {
    this.#view = new DataView(memory);
    this.#bytes = new Uint8Array(memory);
    this.#buffer = Buffer.from(memory);
    this.#end = end;
  }

  /** Writes `value` at `position`; returns the position after it, or -1 if it does not fit or cannot be written. */
  write(value: unknown, position: number): number {
    try {
      return this.#write(value, position, 0);
    } catch {
      // A getter or a proxy trap threw: the caller sends the value the usual way, which reports it.
      return -1;
    }
  }

  writeUint32(value: number, position: number): number {
    if (position < 0 || position + 4 > this.#end) return -1;
    this.#view.setUint32(position, value, true);
    return position + 4;
  }

  writeFloat64(value: number, position: number): number {
    if (position < 0 || position + 8 > this.#end) return -1;
    this.#view.setFloat64(position, value, true);
    return position + 8;
  }

  writeByte(value: number, position: number): number {
    if (position < 0 || position + 1 > this.#end) return -1;
    this.#bytes[position] = value;
    return position + 1;
  }

  #write(value: unknown, position: number, depth: number): number {
    switch (typeof value) {
      case 'number':
        return this.writeFloat64(value, this.writeByte(Tag.Number, position));
      case 'string':
        return this.#writeString(value, this.writeByte(Tag.String, position));
      case 'boolean':
        return this.writeByte(value ? Tag.True : Tag.False, position);
      case 'undefined':
        return this.writeByte(Tag.Undefined, position);
      case 'object':
        if (value === null) return this.writeByte(Tag.Null, position);
        if (depth < MAX_DEPTH) {
          if (Array.isArray(value)) return this.#writeArray(value, position, depth);
          const prototype: unknown = Object.getPrototypeOf(value);
          if (prototype === Object.prototype || prototype === null) return this.#writeObject(value as Record<string, unknown>, position, depth);
        }
        return this.#writeSerialized(value, position);
      case 'bigint':
        return this.#writeSerialized(value, position);
      default:
        // Functions and symbols cannot be cloned at all.
        return -1;
    }
  }

  #writeString(value: string, position: number): number {
    const length = value.length;
    const start = this.writeUint32(length, position);
    if (start < 0 || start + length * 2 > this.#end) return -1;
    if (length < SHORT_STRING) {
      for (let index = 0; index < length; index++) this.#view.setUint16(start + index * 2, value.charCodeAt(index), true);
    } else {
      this.#buffer.write(value, start, length * 2, 'utf16le');
    }
    return start + length * 2;
  }

  #writeArray(value: readonly unknown[], position: number, depth: number): number {
    let next = this.writeUint32(value.length, this.writeByte(Tag.Array, position));
    for (let index = 0; index < value.length && next >= 0; index++) next = this.#write(value[index], next, depth + 1);
    return next;
  }

  #writeObject(value: Record<string, unknown>, position: number, depth: number): number {
    const keys = Object.keys(value);
    let next = this.writeUint32(keys.length, this.writeByte(Tag.Object, position));
    for (let index = 0; index < keys.length && next >= 0; index++) {
      const key = keys[index] as string;
      next = this.#writeString(key, next);
      if (next >= 0) next = this.#write(value[key], next, depth + 1);
    }
    return next;
  }

  #writeSerialized(value: unknown, position: number): number {
    const bytes = serialize(value);
    const start = this.writeUint32(bytes.length, this.writeByte(Tag.Serialized, position));
    if (start < 0 || start + bytes.length > this.#end) return -1;
    bytes.copy(this.#buffer, start);
    return start + bytes.length;
  }
}

/** Reads what a ValueWriter wrote. */
export class ValueReader {
  readonly #view: DataView;
  readonly #buffer: Buffer;
  position: number;

  constructor(memory: SharedArrayBuffer, position: number) {
    this.#view = new DataView(memory);
    this.#buffer = Buffer.from(memory);
    this.position = position;
  }

  readUint32(): number {
    const value = this.#view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  readFloat64(): number {
    const value = this.#view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  readByte(): number {
    return this.#view.getUint8(this.position++);
  }

  read(): unknown {
    const tag = this.readByte();
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.True:
        return true;
      case Tag.False:
        return false;
      case Tag.Number:
        return this.readFloat64();
      case Tag.String:
        return this.#readString();
      case Tag.Array: {
        const length = this.readUint32();
        const items = new Array<unknown>(length);
        for (let index = 0; index < length; index++) items[index] = this.read();
        return items;
      }
      case Tag.Object: {
        const count = this.readUint32();
        const object: Record<string, unknown> = {};
        for (let index = 0; index < count; index++) {
          const key = this.#readString();
          // defineProperty, so that a key named __proto__ stays a plain property
          Object.defineProperty(object, key, { value: this.read(), enumerable: true, writable: true, configurable: true });
        }
        return object;
      }
      case Tag.Serialized: {
        const length = this.readUint32();
        const value: unknown = deserialize(this.#buffer.subarray(this.position, this.position + length));
        this.position += length;
        return value;
      }
      default:
        throw new Error(`Corrupt result log: unknown tag ${String(tag)} at byte ${String(this.position - 1)}`);
    }
  }

  #readString(): string {
    const length = this.readUint32();
    const text = this.#buffer.toString('utf16le', this.position, this.position + length * 2);
    this.position += length * 2;
    return text;
  }
}
