import { SharedArgumentError } from './errors.js';
import { describe, failArgument } from './validate.js';

/** Number fields, by the typed array that holds them: `int32` is an `Int32Array` element. */
export type NumberFieldType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
/** 64-bit integer fields, read and written as `bigint`. */
export type BigIntFieldType = 'bigint64' | 'biguint64';
/** A string field: UTF-8, at most `utf8` bytes, padded with zero bytes (so it cannot contain U+0000). */
export interface StringFieldType {
  readonly utf8: number;
}
export type FieldType = NumberFieldType | BigIntFieldType | 'bool' | StringFieldType;

/** Field names and their types: `{ x: 'float64', id: 'uint32', name: { utf8: 32 } }`. */
export type Schema = Readonly<Record<string, FieldType>>;

/** What a field of type `F` reads and writes as. */
export type FieldValue<F extends FieldType> = F extends BigIntFieldType ? bigint : F extends 'bool' ? boolean : F extends StringFieldType ? string : number;

/** One record of schema `S`, as an object. */
export type RecordOf<S extends Schema> = { -readonly [K in keyof S]: FieldValue<S[K]> };

const NUMBER_SIZES: Readonly<Record<NumberFieldType | BigIntFieldType | 'bool', number>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
  bigint64: 8,
  biguint64: 8,
  bool: 1,
};

/** The longest string field, in bytes. */
export const MAX_STRING_BYTES = 65_536;

/** Where one field lives and how big it is. */
export interface FieldLayout {
  readonly name: string;
  readonly type: FieldType;
  /** The field's type name: a key of NUMBER_SIZES, or 'utf8'. */
  readonly kind: NumberFieldType | BigIntFieldType | 'bool' | 'utf8';
  /** Bytes one value takes (a string field's maximum). */
  readonly size: number;
  /** Alignment in bytes: the size for numbers, 1 for strings and booleans. */
  readonly align: number;
}

/**
 * A schema checked (ERR_INVALID_ARGUMENT) and turned into its fields. Field
 * order is the schema's own; layouts place them.
 */
export function schemaFields(schema: unknown): FieldLayout[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) failArgument('schema', 'an object of field names and types', schema);
  const fields = Object.entries(schema as Record<string, unknown>).map(([name, type]): FieldLayout => {
    if (typeof type === 'string' && Object.hasOwn(NUMBER_SIZES, type)) {
      const kind = type as keyof typeof NUMBER_SIZES;
      return { name, type: kind, kind, size: NUMBER_SIZES[kind], align: NUMBER_SIZES[kind] };
    }
    const bytes = (type as Partial<StringFieldType> | null)?.utf8;
    if (typeof type === 'object' && type !== null && typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= 1 && bytes <= MAX_STRING_BYTES) {
      return { name, type: { utf8: bytes }, kind: 'utf8', size: bytes, align: 1 };
    }
    throw new SharedArgumentError(
      `Expected the type of field \`${name}\` to be one of ${Object.keys(NUMBER_SIZES).join(', ')} or { utf8: bytes } (1 to ${String(MAX_STRING_BYTES)}), got ${describe(type)}`,
    );
  });
  if (fields.length === 0) failArgument('schema', 'an object with at least one field', schema);
  return fields;
}

/** The plain-data copy of a schema that a handle carries (a string field's type as a fresh `{ utf8 }`). */
export function schemaOf(fields: readonly FieldLayout[]): Schema {
  return Object.fromEntries(fields.map((field) => [field.name, field.type]));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encodes `value` into `scratch` and returns its length in bytes:
 * ERR_INVALID_ARGUMENT if it is not a string, holds U+0000 or does not fit the field.
 */
export function encodeString(field: FieldLayout, value: unknown, scratch: Uint8Array): number {
  if (typeof value !== 'string') failArgument(field.name, 'a string', value);
  const { read, written } = encoder.encodeInto(value, scratch);
  if (read < value.length || written > field.size) {
    throw new SharedArgumentError(`Field \`${field.name}\` holds at most ${String(field.size)} UTF-8 bytes; the string given takes ${String(encoder.encode(value).length)}`);
  }
  if (value.includes('\0')) failArgument(field.name, 'a string without U+0000 (the field is padded with zero bytes)', value);
  return written;
}

/** Writes `value` into `bytes` (a string field's place), zero-padded; throws as {@link encodeString} before writing anything. */
export function writeString(field: FieldLayout, value: unknown, bytes: Uint8Array, scratch: Uint8Array): void {
  if (typeof value === 'string' && value.length <= bytes.length && writeAscii(value, bytes)) return;
  const written = encodeString(field, value, scratch);
  bytes.set(scratch.subarray(0, written));
  bytes.fill(0, written);
}

/** The common case without TextEncoder: a string of ASCII characters (no U+0000) that fits. False, with nothing written, otherwise. */
function writeAscii(value: string, bytes: Uint8Array): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 0 || code > 0x7f) return false;
  }
  for (let index = 0; index < value.length; index++) bytes[index] = value.charCodeAt(index);
  bytes.fill(0, value.length);
  return true;
}

/** Reads a string field: its bytes up to the first zero byte. */
export function readString(bytes: Uint8Array): string {
  let end = 0;
  let ascii = true;
  for (; end < bytes.length; end++) {
    const byte = bytes[end] as number;
    if (byte === 0) break;
    if (byte > 0x7f) ascii = false;
  }
  if (!ascii) return decoder.decode(bytes.subarray(0, end));
  let text = '';
  for (let index = 0; index < end; index++) text += String.fromCharCode(bytes[index] as number);
  return text;
}

/** A scratch buffer big enough to encode any string of these fields (encodeInto needs room to report an overflow). */
export function stringScratch(fields: readonly FieldLayout[]): Uint8Array {
  return new Uint8Array(Math.max(0, ...fields.filter((field) => field.kind === 'utf8').map((field) => field.size)) + 4);
}

/** ERR_INVALID_ARGUMENT unless `value` fits a number, bigint or bool field. */
export function checkScalar(field: FieldLayout, value: unknown): void {
  const expected = field.kind === 'bool' ? 'boolean' : field.kind === 'bigint64' || field.kind === 'biguint64' ? 'bigint' : 'number';
  if (typeof value !== expected) failArgument(field.name, `a ${expected} (a ${field.kind} field)`, value);
}
