/**
 * Zero-copy transfer: wrapping a value with `transfer()` moves its
 * ArrayBuffers and MessagePorts to the other thread instead of copying them.
 * The same helpers work on both sides (an argument, or a task's result).
 *
 * The rule: a buffer is moved only when the view given spans all of it. A
 * small Node `Buffer` is a slice of a shared pool (`Buffer.poolSize`), so `transfer()`
 * copies it (moving the pool would ship other requests' bytes and detach
 * them); `move()` refuses it with ERR_NOT_MOVABLE; `ownedCopy()` makes a
 * copy that owns its buffer exactly, which can then be moved.
 */

import type { MessagePort, Transferable } from 'node:worker_threads';
import { NotMovableError } from '../errors.js';

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
 * Marks `value` to be moved, not copied, where that is safe. Without
 * `transferList`, the ArrayBuffers and MessagePorts found in `value` (itself,
 * the buffer of a typed array that spans all of it, or the direct members
 * of an array or plain object) are moved. A view onto part of a buffer (a
 * small Node `Buffer`, from Node's shared pool) is copied, and so is a
 * buffer its owner marked untransferable (Node 22+ can tell; Node 20 copies
 * those by itself). SharedArrayBuffers are shared, never moved. To be told
 * instead of getting a copy, use {@link move}.
 *
 * ```ts
 * const thumb = await pool.run('thumbnail', transfer(bytes)); // bytes is detached from here on
 * ```
 */
export function transfer<T>(value: T, transferList?: readonly Transferable[]): Transferred<T> {
  if (value instanceof ArrayBuffer && isNodeBufferPool(value)) throw new NotMovableError(POOL_MESSAGE);
  return { [marker]: true, value, transferList: transferList === undefined ? findTransferables(value) : transferList.filter((item) => !isUntransferable(item)) };
}

/** What `move()` accepts: one buffer, a view that spans all of its buffer, or a port. */
export type Movable = ArrayBuffer | ArrayBufferView | MessagePort;

/**
 * Moves exactly the buffer (or port) given, or throws ERR_NOT_MOVABLE: for
 * a view onto part of a buffer (such as a small Node `Buffer`, a slice of
 * Node's shared pool), a SharedArrayBuffer, or a buffer marked
 * untransferable. Code that passes its tests with small inputs then cannot
 * copy in production where it moved in tests, or the other way round.
 * Use {@link ownedCopy} first for a view that does not own its buffer.
 *
 * ```ts
 * await pool.run('resize', move(ownedCopy(request.body)));
 * ```
 */
export function move<T extends Movable>(value: T): Transferred<T> {
  if (isMessagePort(value)) return { [marker]: true, value, transferList: [value] };
  const buffer: unknown = ArrayBuffer.isView(value) ? value.buffer : value;
  if (value instanceof ArrayBuffer && isNodeBufferPool(value)) throw new NotMovableError(POOL_MESSAGE);
  if (!(buffer instanceof ArrayBuffer)) {
    throw new NotMovableError(`${describeValue(value)} is ${buffer instanceof SharedArrayBuffer ? 'shared memory, which is shared and never moved' : 'not an ArrayBuffer, a view or a MessagePort'}`);
  }
  if (ArrayBuffer.isView(value) && (value.byteOffset !== 0 || value.byteLength !== buffer.byteLength)) {
    throw new NotMovableError(
      `${describeValue(value)} is a view of ${String(value.byteLength)} bytes at offset ${String(value.byteOffset)} of a ${String(buffer.byteLength)}-byte ArrayBuffer` +
        `${buffer.byteLength === Buffer.poolSize ? " (a small Buffer, from Node's shared pool)" : ''}: moving it would move the whole buffer, whatever else it holds. Move ownedCopy(view) instead`,
    );
  }
  if (isUntransferable(buffer)) throw new NotMovableError(`${describeValue(value)} is backed by a buffer marked untransferable by its owner. Move ownedCopy(view) instead`);
  return { [marker]: true, value, transferList: [buffer] };
}

/**
 * A copy of `view` that owns its ArrayBuffer exactly (offset 0, the buffer's
 * whole length), so that it can be moved. A Node `Buffer` is copied into a
 * plain `Uint8Array`, which is what a worker would receive anyway.
 */
export function ownedCopy<T extends ArrayBufferView>(view: T): T extends Buffer ? Uint8Array : T;
export function ownedCopy(view: ArrayBufferView): ArrayBufferView {
  if (Buffer.isBuffer(view)) return new Uint8Array(view);
  if (view instanceof DataView) return new DataView(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
  return (view as Uint8Array).slice();
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
    if (item instanceof ArrayBuffer) {
      if (!isUntransferable(item)) found.add(item);
    } else if (ArrayBuffer.isView(item)) {
      // Only a view that owns its whole buffer: a small Node Buffer is a slice of a shared
      // pool (Buffer.poolSize), and moving that pool would detach every other Buffer in it. Such views are copied.
      const buffer = item.buffer;
      if (buffer instanceof ArrayBuffer && item.byteOffset === 0 && item.byteLength === buffer.byteLength && !isUntransferable(buffer)) found.add(buffer);
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
  return value instanceof globalThis.MessagePort;
}

/**
 * Node 22+ tells which buffers their owner marked untransferable (postMessage would throw for them); Node 20 copies them silently.
 * node:worker_threads is looked up when a value is first transferred, not imported: a process worker never loads it otherwise (eslint.config.js).
 */
let isMarkedAsUntransferable: ((value: unknown) => boolean) | undefined;

function isUntransferable(item: unknown): boolean {
  isMarkedAsUntransferable ??= (process.getBuiltinModule('node:worker_threads') as { isMarkedAsUntransferable?: (value: unknown) => boolean }).isMarkedAsUntransferable ?? (() => false);
  return isMarkedAsUntransferable(item);
}

const POOL_MESSAGE =
  "this ArrayBuffer is Node's shared Buffer pool (the `.buffer` of a small Buffer): it holds other Buffers' bytes too, which would all go to the worker. Pass the Buffer itself (it is copied), or move(ownedCopy(buffer))";

/**
 * Whether `buffer` is the pool Node is cutting small Buffers from now. (Older
 * pools cannot be told on Node 20; Node 22+ reports them as untransferable.)
 */
function isNodeBufferPool(buffer: ArrayBuffer): boolean {
  return buffer.byteLength === Buffer.poolSize && Buffer.allocUnsafe(1).buffer === buffer;
}

function describeValue(value: unknown): string {
  if (Buffer.isBuffer(value)) return 'This Buffer';
  const name = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
  return `This ${name ?? typeof value}`;
}
