/**
 * Zero-copy transfer: wrapping a value with `transfer()` moves its
 * ArrayBuffers and MessagePorts to the other thread instead of copying them.
 * The same helper works on both sides (an argument, or a task's result).
 */

import { MessagePort, type Transferable } from 'node:worker_threads';

const marker = Symbol.for('spindle.transfer');

/** A value wrapped for transfer. Task signatures see it as the value itself. */
export interface Transferred<T> {
  readonly [marker]: true;
  readonly value: T;
  readonly transferList: readonly Transferable[];
}

/** The type a caller sees once a possibly-transferred value is unwrapped. */
export type Unwrapped<T> = T extends Transferred<infer Inner> ? Inner : T;

/**
 * Marks `value` to be moved, not copied. Without `transferList`, the
 * ArrayBuffers and MessagePorts found in `value` (itself, the buffer of a
 * typed array that spans all of it, or the direct members of an array or
 * plain object) are moved; a view onto part of a buffer is copied.
 * SharedArrayBuffers are never moved: they are shared by nature.
 */
export function transfer<T>(value: T, transferList?: readonly Transferable[]): Transferred<T> {
  return { [marker]: true, value, transferList: transferList ?? findTransferables(value) };
}

/** Whether `value` was wrapped by `transfer()`. Never throws, even for a revoked Proxy. */
export function isTransferred(value: unknown): value is Transferred<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return marker in value;
  } catch {
    return false;
  }
}

function findTransferables(value: unknown): Transferable[] {
  const found = new Set<Transferable>();
  const visit = (item: unknown): void => {
    if (item instanceof ArrayBuffer) found.add(item);
    else if (ArrayBuffer.isView(item)) {
      // Only a view that owns its whole buffer: a small Node Buffer is a slice of a shared
      // 8 KiB pool, and moving that pool would detach every other Buffer in it. Such views are copied.
      if (item.buffer instanceof ArrayBuffer && item.byteOffset === 0 && item.byteLength === item.buffer.byteLength) found.add(item.buffer);
    } else if (isMessagePort(item)) found.add(item);
  };
  visit(value);
  if (Array.isArray(value)) for (const item of value) visit(item);
  else if (isPlainObject(value)) for (const item of Object.values(value)) visit(item);
  return [...found];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isMessagePort(value: unknown): value is MessagePort {
  return value instanceof MessagePort;
}
