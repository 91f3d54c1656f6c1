import { failArgument } from './validate.js';
import { checkScalar, readString, schemaFields, stringScratch, writeString, type FieldLayout, type RecordOf, type Schema } from './schema.js';

/** Where records are read and written: the same memory as a `DataView` (numbers) and as bytes (strings). */
export interface RecordMemory {
  readonly view: DataView;
  readonly bytes: Uint8Array;
}

/** Both views of `buffer` (or of its part from `byteOffset`, `byteLength` bytes long). */
export function recordMemory(buffer: ArrayBufferLike, byteOffset = 0, byteLength = buffer.byteLength - byteOffset): RecordMemory {
  return { view: new DataView(buffer, byteOffset, byteLength), bytes: new Uint8Array(buffer, byteOffset, byteLength) };
}

/**
 * One record of a schema laid out in bytes (fields sorted by alignment, so
 * there is no padding between them; little-endian), read and written
 * through a `DataView`. What a cell and a record channel store per record.
 */
export class RecordCodec<S extends Schema> {
  readonly fields: readonly FieldLayout[];
  /** Byte offset of each field, in `fields` order. */
  readonly offsets: readonly number[];
  /** Bytes per record, a multiple of the widest field's alignment. */
  readonly size: number;
  readonly #scratch: Uint8Array;

  constructor(schema: S) {
    this.fields = [...schemaFields(schema)].sort((a, b) => b.align - a.align);
    let offset = 0;
    this.offsets = this.fields.map((field) => {
      const at = offset;
      offset += field.size;
      return at;
    });
    const widest = Math.max(...this.fields.map((field) => field.align));
    this.size = Math.ceil(offset / widest) * widest;
    this.#scratch = stringScratch(this.fields);
  }

  /** Writes `record` at byte `at` of `memory`; ERR_INVALID_ARGUMENT for a missing or wrong field (nothing written past it). */
  encode(record: RecordOf<S>, memory: RecordMemory, at: number): void {
    const values = record as Record<string, unknown>;
    if (typeof record !== 'object' || (record as unknown) === null) failArgument('record', 'an object with the fields of the schema', record);
    for (let index = 0; index < this.fields.length; index++) {
      const field = this.fields[index] as FieldLayout;
      const offset = at + (this.offsets[index] as number);
      const value = values[field.name];
      if (field.kind === 'utf8') {
        writeString(field, value, memory.bytes.subarray(offset, offset + field.size), this.#scratch);
        continue;
      }
      checkScalar(field, value);
      writeScalar(memory.view, offset, field.kind, value as number | bigint | boolean);
    }
  }

  /** Reads the record at byte `at` of `memory`. */
  decode(memory: RecordMemory, at: number): RecordOf<S> {
    const record: Record<string, unknown> = {};
    for (let index = 0; index < this.fields.length; index++) {
      const field = this.fields[index] as FieldLayout;
      const offset = at + (this.offsets[index] as number);
      record[field.name] = field.kind === 'utf8' ? readString(memory.bytes.subarray(offset, offset + field.size)) : readScalar(memory.view, offset, field.kind);
    }
    return record as RecordOf<S>;
  }
}

function writeScalar(view: DataView, offset: number, kind: Exclude<FieldLayout['kind'], 'utf8'>, value: number | bigint | boolean): void {
  switch (kind) {
    case 'int8': view.setInt8(offset, value as number); break;
    case 'uint8': view.setUint8(offset, value as number); break;
    case 'int16': view.setInt16(offset, value as number, true); break;
    case 'uint16': view.setUint16(offset, value as number, true); break;
    case 'int32': view.setInt32(offset, value as number, true); break;
    case 'uint32': view.setUint32(offset, value as number, true); break;
    case 'float32': view.setFloat32(offset, value as number, true); break;
    case 'float64': view.setFloat64(offset, value as number, true); break;
    case 'bigint64': view.setBigInt64(offset, value as bigint, true); break;
    case 'biguint64': view.setBigUint64(offset, value as bigint, true); break;
    case 'bool': view.setUint8(offset, value === true ? 1 : 0); break;
  }
}

function readScalar(view: DataView, offset: number, kind: Exclude<FieldLayout['kind'], 'utf8'>): number | bigint | boolean {
  switch (kind) {
    case 'int8': return view.getInt8(offset);
    case 'uint8': return view.getUint8(offset);
    case 'int16': return view.getInt16(offset, true);
    case 'uint16': return view.getUint16(offset, true);
    case 'int32': return view.getInt32(offset, true);
    case 'uint32': return view.getUint32(offset, true);
    case 'float32': return view.getFloat32(offset, true);
    case 'float64': return view.getFloat64(offset, true);
    case 'bigint64': return view.getBigInt64(offset, true);
    case 'biguint64': return view.getBigUint64(offset, true);
    case 'bool': return view.getUint8(offset) !== 0;
  }
}
