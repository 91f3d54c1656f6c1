/**
 * How a message crosses the IPC channel of a process worker (`runtime:
 * 'process'`), both ways. The channel is Node's `'json'` one: a message
 * that JSON carries exactly travels as itself, and the others as V8's
 * structured-clone bytes, so that every type a thread worker can receive
 * (Map, Set, Date, typed arrays, BigInt, errors, undefined, shared
 * references …) survives. Node's `'advanced'` channel would clone every
 * message, but builds a V8 serializer per message in JavaScript: for the
 * small arrays of the protocol, JSON costs less than half as much.
 *
 *   on the IPC channel    what it is
 *   [kind, …]             the message itself: nothing in it but what JSON keeps as it is
 *   { m: [...], u: [i…] } the message with undefined at the indexes in u (JSON sent null)
 *   "base64…"             the message's V8 serialization, base64, if it is short
 *   0                     the message is the next frame on the side pipe (process-frames.ts):
 *                         a longer V8 serialization, sent as bytes (base64 in JSON would cost
 *                         several times as much to write and to read)
 *
 * Every message of the protocol is an array whose first element is a
 * number, so the forms never meet.
 */

import { deserialize, serialize } from './v8-serializer.js';

export type WireForm = readonly unknown[] | { readonly m: unknown[]; readonly u: readonly number[] } | string;

/** What stands on the IPC channel for a message sent as a frame on the side pipe. */
export const ON_SIDE_PIPE = 0;

/** V8 serializations up to this many bytes go inline, in base64; longer ones as frames on the side pipe. */
export const INLINE_V8_BYTES = 16 * 1024;

/** Deeper than this, a value goes as V8's serialization (which needs no recursion here). */
const MAX_JSON_DEPTH = 32;
/** Longer strings go as V8's serialization (on the side pipe: see INLINE_V8_BYTES). */
const MAX_JSON_STRING = 16 * 1024;
/** Longer arrays go as V8's serialization too (see keepsAsJson). */
const MAX_JSON_ARRAY = 4096;

/**
 * The message as it goes over the IPC channel, or the bytes of the frame
 * that carries it on the side pipe (a Buffer). `beforeClone` sees a message
 * that must go as V8 bytes first (and may throw to refuse it); then throws
 * what V8's serializer throws for a value that cannot be cloned (`… could
 * not be cloned`), as the 'advanced' channel did.
 */
export function toWire(message: readonly unknown[], beforeClone: (message: readonly unknown[]) => void): WireForm | Buffer {
  const seen = new Set<object>([message]);
  let undefinedAt: number[] | undefined;
  for (let index = 0; index < message.length; index++) {
    const element = message[index];
    if (element === undefined) (undefinedAt ??= []).push(index);
    else if (!keepsAsJson(element, seen, 1)) {
      beforeClone(message);
      const bytes = serialize(message);
      return bytes.length <= INLINE_V8_BYTES ? bytes.toString('base64') : bytes;
    }
  }
  if (undefinedAt === undefined) return message;
  return { m: message.map((element) => element ?? null), u: undefinedAt };
}

/** The message an IPC form of toWire() stands for (not ON_SIDE_PIPE), or that a side pipe frame's bytes hold. */
export function fromWire(wire: unknown): readonly unknown[] {
  if (Array.isArray(wire)) return wire;
  if (typeof wire === 'string') return deserialize(Buffer.from(wire, 'base64')) as unknown[];
  if (wire instanceof Uint8Array) return deserialize(wire) as unknown[];
  const { m: message, u: undefinedAt } = wire as { m: unknown[]; u: number[] };
  for (const index of undefinedAt) message[index] = undefined;
  return message;
}

/**
 * Whether JSON.stringify then JSON.parse gives back what structured clone
 * would: null, booleans, finite numbers other than -0, strings (up to
 * MAX_JSON_STRING long), and arrays
 * (without holes or named properties, up to MAX_JSON_ARRAY long) and plain
 * objects made of those, none reached twice (clone keeps a shared or
 * circular reference; JSON would copy it or throw).
 */
function keepsAsJson(value: unknown, seen: Set<object>, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      // A long string is copied as it is by V8, but scanned for escapes and split into lines by JSON.
      return value.length <= MAX_JSON_STRING;
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false; // undefined (inside a value), bigint, symbol, function
  }
  if (value === null) return true;
  if (depth > MAX_JSON_DEPTH || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    // Clone keeps an array's named properties (a RegExp match's index and groups); JSON drops them. Counting keys costs, so a long array goes as V8 bytes.
    if (value.length > MAX_JSON_ARRAY || Object.keys(value).length !== value.length) return false;
    for (let index = 0; index < value.length; index++) {
      // A hole reads as undefined: refused too.
      if (!keepsAsJson(value[index], seen, depth + 1)) return false;
    }
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  // Class instances (Date, Map, Error, typed arrays, boxed primitives, user classes) go as V8 bytes; so does an object with a toJSON.
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) {
    if (!keepsAsJson((value as Record<string, unknown>)[key], seen, depth + 1)) return false;
  }
  return true;
}
