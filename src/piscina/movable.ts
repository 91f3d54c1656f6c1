import { types } from 'node:util';
import { MessagePort, type Transferable } from 'node:worker_threads';
import { transferableSymbol, valueSymbol } from './symbols.js';

/**
 * piscina's transfer protocol: an object with `[transferableSymbol]` (what
 * to move) and `[valueSymbol]` (what arrives) is transferable; `move()`
 * marks one as meant to be moved, wrapping a bare buffer, view or port.
 */
// Registered, so that a second copy of this module (a CommonJS require beside an import) recognises it.
const movableMark = Symbol.for('spindle.piscina.movable');

export interface TransferableValue {
  readonly [transferableSymbol]: object;
  readonly [valueSymbol]: object;
}

export function isTransferable(value: unknown): value is TransferableValue {
  return value !== null && typeof value === 'object' && transferableSymbol in value && valueSymbol in value;
}

export function isMovable(value: unknown): value is TransferableValue {
  return isTransferable(value) && (value as unknown as Record<symbol, unknown>)[movableMark] === true;
}

export function markMovable(value: object): void {
  Object.defineProperty(value, movableMark, { enumerable: false, configurable: true, writable: true, value: true });
}

class Wrapped implements TransferableValue {
  readonly #transferable: object;
  readonly #value: object;
  constructor(transferable: object, value: object) {
    this.#transferable = transferable;
    this.#value = value;
  }

  get [transferableSymbol](): object {
    return this.#transferable;
  }

  get [valueSymbol](): object {
    return this.#value;
  }
}

/**
 * Marks `value` to be moved rather than copied, as piscina's `move()` does:
 * an ArrayBuffer or a MessagePort is moved itself, a typed array or
 * DataView moves its buffer, an object implementing the transferable
 * protocol moves what it names. Anything else is returned unchanged.
 */
export function move(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    if (isTransferable(value)) {
      markMovable(value);
      return value;
    }
    let wrapped: Wrapped | undefined;
    if (types.isAnyArrayBuffer(value) || value instanceof MessagePort) wrapped = new Wrapped(value, value);
    else if (ArrayBuffer.isView(value)) wrapped = new Wrapped(value.buffer, value);
    if (wrapped !== undefined) {
      markMovable(wrapped);
      return wrapped;
    }
  }
  return value;
}

/** What a movable value stands for, and the transfer list it adds. */
export function unwrapMovable(value: unknown): { value: unknown; transferList: Transferable[] } {
  if (!isMovable(value)) return { value, transferList: [] };
  const transferable = value[transferableSymbol];
  const list = (Array.isArray(transferable) ? transferable : [transferable]) as Transferable[];
  return { value: value[valueSymbol], transferList: list };
}
