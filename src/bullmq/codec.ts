/**
 * BullMQ stores a job's data, progress and return value as JSON. A task's
 * argument or result is whatever a structured clone carries between threads;
 * this codec turns such a value into JSON-safe data and back, so that what
 * arrives over the queue is what would have arrived from a local pool:
 *
 * - JSON values (strings, finite numbers, booleans, null, arrays, plain
 *   objects) stay exactly as they are, so plain BullMQ producers and
 *   dashboards see plain data;
 * - everything else becomes a tagged object `{ "$spindle": <type>, … }`:
 *   `ArrayBuffer`, `SharedArrayBuffer`, `DataView` and every typed array
 *   (bytes in base64; a Node `Buffer` arrives as a `Uint8Array`, as it does
 *   from a worker thread), `Date`, `RegExp`, `Map`, `Set`, `bigint`,
 *   `undefined`, `NaN`, `±Infinity`, `-0` and `Error`s;
 * - a plain object that itself has a `$spindle` key is wrapped
 *   (`{ "$spindle": "object", "value": … }`), so no data is ever mistaken
 *   for a tag.
 *
 * A class instance becomes a plain object of its own enumerable fields, as
 * in a structured clone. What cannot cross (functions, symbols, cycles,
 * ports, streams, blobs, weak collections, promises) throws a `TypeError`
 * naming where it was found. Two references to one object arrive as two
 * copies. Typed arrays travel in the byte order of the machine (little-endian
 * on every platform Node runs on today).
 */

const TAG = '$spindle';

/** A value JSON can hold: what encodeValue() returns and decodeValue() reads. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

/** Values with internal state that no JSON can carry to another machine. */
const UNSENDABLE: readonly (abstract new (...args: never[]) => unknown)[] = [WeakMap, WeakSet, WeakRef, Promise, Blob, ReadableStream, WritableStream, TransformStream, MessagePort];

/** `value` as JSON-safe data; throws a `TypeError` for what cannot be encoded. */
export function encodeValue(value: unknown): Json {
  // Most results are a string, a number or a boolean: no set of ancestors to make for those.
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return value;
  return encode(value, '', new Set());
}

/** The value `encodeValue()` encoded. Throws a `TypeError` for a malformed tag. */
export function decodeValue(data: unknown): unknown {
  return decode(data, '');
}

function encode(value: unknown, path: string, ancestors: Set<object>): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return { [TAG]: 'number', value: Object.is(value, -0) ? '-0' : String(value) };
    case 'undefined':
      return { [TAG]: 'undefined' };
    case 'bigint':
      return { [TAG]: 'bigint', value: value.toString() };
    case 'function':
    case 'symbol':
      throw new TypeError(`${describePath(path)} is a ${typeof value}, which cannot be sent`);
    case 'object':
      break;
  }
  if (value === null) return null;
  if (ancestors.has(value)) throw new TypeError(`${describePath(path)} refers back to an object that contains it (a cycle), which cannot be sent`);
  ancestors.add(value);
  try {
    return encodeObject(value, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function encodeObject(value: object, path: string, ancestors: Set<object>): Json {
  if (Array.isArray(value)) {
    const items: Json[] = [];
    for (let index = 0; index < value.length; index++) items.push(encode((value as unknown[])[index], `${path}[${index}]`, ancestors));
    return items;
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    const type = value instanceof DataView ? 'DataView' : typedArrayName(value);
    return { [TAG]: type, base64: bytes };
  }
  if (value instanceof ArrayBuffer) return { [TAG]: 'ArrayBuffer', base64: Buffer.from(value).toString('base64') };
  if (value instanceof SharedArrayBuffer) return { [TAG]: 'SharedArrayBuffer', base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { [TAG]: 'Date', value: String(value.getTime()) };
  if (value instanceof RegExp) return { [TAG]: 'RegExp', source: value.source, flags: value.flags };
  if (value instanceof Map) {
    const entries: Json[] = [];
    let index = 0;
    for (const [key, item] of value) {
      entries.push([encode(key, `${path}<key ${index}>`, ancestors), encode(item, `${path}<value ${index}>`, ancestors)]);
      index++;
    }
    return { [TAG]: 'Map', entries };
  }
  if (value instanceof Set) {
    const values: Json[] = [];
    let index = 0;
    for (const item of value) values.push(encode(item, `${path}<item ${index++}>`, ancestors));
    return { [TAG]: 'Set', values };
  }
  if (value instanceof Error) return encodeError(value, path, ancestors);
  const unsendable = UNSENDABLE.find((type) => value instanceof type);
  if (unsendable !== undefined) throw new TypeError(`${describePath(path)} is a ${unsendable.name}, which cannot be sent to another machine`);
  const fields: Record<string, Json> = {};
  for (const key of Object.keys(value)) fields[key] = encode((value as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
  return TAG in fields ? { [TAG]: 'object', value: fields } : fields;
}

function encodeError(error: Error, path: string, ancestors: Set<object>): Json {
  const encoded: Record<string, Json> = { [TAG]: 'Error', name: error.name, message: error.message };
  if (typeof error.stack === 'string') encoded.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') encoded.code = code;
  if ('cause' in error) encoded.cause = encode(error.cause, `${path}.cause`, ancestors);
  return encoded;
}

function typedArrayName(view: ArrayBufferView): TypedArrayName {
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) if (view instanceof TYPED_ARRAYS[name]) return name;
  throw new TypeError(`${Object.prototype.toString.call(view)} is a kind of typed array that cannot be sent`);
}

function describePath(path: string): string {
  return path === '' ? 'The value' : `The value at \`${path.replace(/^\./, '')}\``;
}

function decode(data: unknown, path: string): unknown {
  if (typeof data !== 'object' || data === null) return data;
  if (Array.isArray(data)) return data.map((item: unknown, index) => decode(item, `${path}[${index}]`));
  const record = data as Record<string, unknown>;
  const tag = record[TAG];
  if (tag === undefined) {
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(record)) fields[key] = decode(record[key], `${path}.${key}`);
    return fields;
  }
  return decodeTagged(tag, record, path);
}

function decodeTagged(tag: unknown, record: Record<string, unknown>, path: string): unknown {
  switch (tag) {
    case 'undefined':
      return undefined;
    case 'number':
      return record.value === '-0' ? -0 : Number(text(record, 'value', path));
    case 'bigint':
      return BigInt(text(record, 'value', path));
    case 'object': {
      const fields = record.value;
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw malformed(path, 'object');
      const object: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(fields)) object[key] = decode(field, `${path}.${key}`);
      return object;
    }
    case 'Date':
      return new Date(Number(text(record, 'value', path)));
    case 'RegExp':
      return new RegExp(text(record, 'source', path), text(record, 'flags', path));
    case 'Map':
      return new Map(list(record, 'entries', path).map((entry, index) => {
        if (!Array.isArray(entry) || entry.length !== 2) throw malformed(path, 'Map');
        return [decode(entry[0], `${path}<key ${index}>`), decode(entry[1], `${path}<value ${index}>`)] as const;
      }));
    case 'Set':
      return new Set(list(record, 'values', path).map((item, index) => decode(item, `${path}<item ${index}>`)));
    case 'Error':
      return decodeError(record, path);
    case 'ArrayBuffer':
      return ownedBytes(text(record, 'base64', path)).buffer;
    case 'SharedArrayBuffer': {
      const bytes = ownedBytes(text(record, 'base64', path));
      const shared = new SharedArrayBuffer(bytes.byteLength);
      new Uint8Array(shared).set(bytes);
      return shared;
    }
    case 'DataView':
      return new DataView(ownedBytes(text(record, 'base64', path)).buffer);
    default:
      if (typeof tag === 'string' && Object.hasOwn(TYPED_ARRAYS, tag)) {
        const bytes = ownedBytes(text(record, 'base64', path));
        const View = TYPED_ARRAYS[tag as TypedArrayName];
        if (bytes.byteLength % View.BYTES_PER_ELEMENT !== 0) throw malformed(path, tag);
        return new View(bytes.buffer);
      }
      throw new TypeError(`${describePath(path)} has an unknown \`${TAG}\` tag \`${String(tag)}\``);
  }
}

function decodeError(record: Record<string, unknown>, path: string): Error {
  const name = text(record, 'name', path);
  const Constructor = ({ TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError } as Record<string, ErrorConstructor | undefined>)[name] ?? Error;
  const error = new Constructor(text(record, 'message', path));
  if (error.name !== name) Object.defineProperty(error, 'name', { value: name, writable: true, configurable: true });
  if (typeof record.stack === 'string') error.stack = record.stack;
  if (typeof record.code === 'string') Object.assign(error, { code: record.code });
  if ('cause' in record) Object.defineProperty(error, 'cause', { value: decode(record.cause, `${path}.cause`), writable: true, configurable: true });
  return error;
}

/** Bytes decoded from base64 into a buffer of their own (never a slice of Node's shared Buffer pool), so they can be moved. */
function ownedBytes(base64: string): Uint8Array<ArrayBuffer> {
  const decoded = Buffer.from(base64, 'base64');
  if (decoded.byteOffset === 0 && decoded.buffer.byteLength === decoded.byteLength && decoded.buffer instanceof ArrayBuffer) return new Uint8Array(decoded.buffer);
  const owned = new Uint8Array(decoded.byteLength);
  owned.set(decoded);
  return owned;
}

function text(record: Record<string, unknown>, key: string, path: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw malformed(path, String(record[TAG]));
  return value;
}

function list(record: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = record[key];
  if (!Array.isArray(value)) throw malformed(path, String(record[TAG]));
  return value;
}

function malformed(path: string, tag: string): TypeError {
  return new TypeError(`${describePath(path)} is a malformed \`${TAG}: ${tag}\` value`);
}
