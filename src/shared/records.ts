import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { checkScalar, encodeString, readString, schemaFields, schemaOf, stringScratch, writeString, type FieldLayout, type FieldType, type RecordOf, type Schema } from './schema.js';
import { failArgument, integerOption } from './validate.js';

/** What a `SharedRecords` crosses into a task as: `records.toHandle()`, rebuilt with `SharedRecords.from(handle)`. */
export interface SharedRecordsHandle<S extends Schema = Schema> extends Handle<'spindle:records'> {
  readonly schema: S;
  readonly length: number;
}

/** The typed array that holds a column of a field of type `F` (a string field: its bytes, `utf8` per record). */
export type ColumnOf<F extends FieldType> = F extends 'int8'
  ? Int8Array
  : F extends 'uint8' | 'bool'
    ? Uint8Array
    : F extends 'int16'
      ? Int16Array
      : F extends 'uint16'
        ? Uint16Array
        : F extends 'int32'
          ? Int32Array
          : F extends 'uint32'
            ? Uint32Array
            : F extends 'float32'
              ? Float32Array
              : F extends 'float64'
                ? Float64Array
                : F extends 'bigint64'
                  ? BigInt64Array
                  : F extends 'biguint64'
                    ? BigUint64Array
                    : Uint8Array;

type Column = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

const COLUMN_ARRAYS = {
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  bigint64: BigInt64Array,
  biguint64: BigUint64Array,
  utf8: Uint8Array,
} as const;

/** The most records of one table. */
export const MAX_RECORDS = 2 ** 31 - 1;
/** Each column starts on a multiple of this many bytes (a cache line), so columns never share one. */
const COLUMN_ALIGN = 64;

/**
 * A fixed-length table of records of one schema in a `SharedArrayBuffer`,
 * shared with tasks without a copy and read field by field.
 *
 * Stored by column: each field is one typed array over the shared memory
 * (`records.column('x')` is a `Float64Array` for a `float64` field), so a
 * task scans one field without touching the others, and integer columns
 * work with `Atomics` (`Atomics.add(records.column('count'), i, 1)`).
 *
 * Plain reads and writes are not atomic: publish what one thread wrote to
 * others through a lock, a counter or a channel (see docs/shared-memory.md).
 */
export class SharedRecords<const S extends Schema> {
  readonly #buffer: SharedArrayBuffer;
  readonly #schema: S;
  readonly #fields: readonly FieldLayout[];
  readonly #columns: ReadonlyMap<string, { readonly field: FieldLayout; readonly column: Column }>;
  readonly #scratch: Uint8Array;
  /** The number of records. */
  readonly length: number;

  constructor(schema: S, length: number) {
    const adopted = takeAdopted();
    integerOption('length', length, 0, MAX_RECORDS);
    this.#fields = schemaFields(schema);
    this.#schema = schema;
    this.length = length;
    let bytes = 0;
    const offsets = this.#fields.map((field) => {
      const at = bytes;
      bytes += Math.ceil((field.size * length) / COLUMN_ALIGN) * COLUMN_ALIGN;
      return at;
    });
    if (adopted !== undefined && adopted.byteLength < bytes) failArgument('handle.buffer', `at least ${String(bytes)} bytes for ${String(length)} records of this schema`, adopted.byteLength);
    this.#buffer = adopted ?? new SharedArrayBuffer(bytes);
    this.#columns = new Map(
      this.#fields.map((field, index) => {
        const perRecord = field.kind === 'utf8' ? field.size : 1;
        const ColumnType = COLUMN_ARRAYS[field.kind] as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => Column;
        return [field.name, { field, column: new ColumnType(this.#buffer, offsets[index] ?? 0, length * perRecord) }];
      }),
    );
    this.#scratch = stringScratch(this.#fields);
  }

  static from<S extends Schema>(handle: SharedRecordsHandle<S>): SharedRecords<S> {
    checkHandle(handle, 'spindle:records', 'SharedRecords', 0);
    return adopt(handle.buffer, () => new SharedRecords<S>(handle.schema, handle.length));
  }

  toHandle(): SharedRecordsHandle<S> {
    return { kind: 'spindle:records', buffer: this.#buffer, schema: this.#schema, length: this.length };
  }

  /** The schema, as plain data. */
  get schema(): S {
    return schemaOf(this.#fields) as S;
  }

  /** The typed array of one field over the shared memory: element `index` is record `index`'s value (for a string field, `utf8` bytes per record). */
  column<K extends keyof S & string>(name: K): ColumnOf<S[K]> {
    return this.#entry(name).column as ColumnOf<S[K]>;
  }

  /** Record `index` as an object (a copy of its fields). */
  get(index: number): RecordOf<S> {
    this.#checkIndex(index);
    const record: Record<string, unknown> = {};
    for (const { field, column } of this.#columns.values()) record[field.name] = readField(field, column, index);
    return record as RecordOf<S>;
  }

  /** Writes the fields of `values` given into record `index`; ERR_INVALID_ARGUMENT (before anything is written) for an unknown field or a wrong value. */
  set(index: number, values: Partial<RecordOf<S>>): void {
    this.#checkIndex(index);
    if (typeof values !== 'object' || (values as unknown) === null) failArgument('values', 'an object of fields', values);
    const entries = Object.entries(values).map(([name, value]) => {
      const entry = this.#entry(name);
      if (entry.field.kind === 'utf8') encodeString(entry.field, value, this.#scratch);
      else checkScalar(entry.field, value);
      return [entry, value] as const;
    });
    for (const [{ field, column }, value] of entries) writeField(field, column, index, value, this.#scratch);
  }

  /** One field of record `index`. */
  getField<K extends keyof S & string>(index: number, name: K): RecordOf<S>[K] {
    this.#checkIndex(index);
    const { field, column } = this.#entry(name);
    return readField(field, column, index) as RecordOf<S>[K];
  }

  /** Writes one field of record `index`. */
  setField<K extends keyof S & string>(index: number, name: K, value: RecordOf<S>[K]): void {
    this.#checkIndex(index);
    const { field, column } = this.#entry(name);
    if (field.kind !== 'utf8') checkScalar(field, value);
    writeField(field, column, index, value, this.#scratch);
  }

  #entry(name: string): { readonly field: FieldLayout; readonly column: Column } {
    const entry = this.#columns.get(name);
    if (entry === undefined) failArgument('name', `a field of the schema (${[...this.#columns.keys()].join(', ')})`, name);
    return entry;
  }

  #checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) failArgument('index', `an integer from 0 to ${String(this.length - 1)}`, index);
  }
}

function readField(field: FieldLayout, column: Column, index: number): unknown {
  if (field.kind === 'utf8') return readString((column as Uint8Array).subarray(index * field.size, (index + 1) * field.size));
  const value = column[index];
  return field.kind === 'bool' ? value !== 0 : value;
}

function writeField(field: FieldLayout, column: Column, index: number, value: unknown, scratch: Uint8Array): void {
  if (field.kind === 'utf8') writeString(field, value, (column as Uint8Array).subarray(index * field.size, (index + 1) * field.size), scratch);
  else if (field.kind === 'bool') column[index] = value === true ? 1 : 0;
  else (column as Float64Array)[index] = value as number;
}
