import type { Transferable } from 'node:worker_threads';
import { TaskAbortedError } from '../errors.js';
import { isTransferred, transfer } from '../protocol/transfer.js';

/** What `read()` returns once the input is exhausted. */
export const END_OF_INPUT: unique symbol = Symbol('end of input');

/**
 * Reads the input of a `map()` a chunk at a time, from a synchronous or an
 * asynchronous iterable, and only when asked: nothing is pulled ahead. A
 * chunk of `chunkSize` items becomes one task argument (an array; the
 * buffers of items wrapped in `transfer()` are moved with it); with a
 * `chunkSize` of 1 the item itself is the argument.
 */
export class ChunkReader {
  readonly #iterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #chunkSize: number;
  readonly #signal: AbortSignal;
  #exhausted = false;
  /** A `next()` of an async input that was abandoned on abort and may still settle. */
  #pendingNext = false;

  constructor(input: Iterable<unknown> | AsyncIterable<unknown>, chunkSize: number, signal: AbortSignal) {
    this.#iterator = Symbol.asyncIterator in input ? input[Symbol.asyncIterator]() : input[Symbol.iterator]();
    this.#chunkSize = chunkSize;
    this.#signal = signal;
  }

  /** The argument of the next task call, or END_OF_INPUT. */
  async read(): Promise<unknown> {
    if (this.#chunkSize === 1) return this.#nextItem();
    const items: unknown[] = [];
    let transferList: Transferable[] | undefined;
    while (items.length < this.#chunkSize) {
      let item = await this.#nextItem();
      if (item === END_OF_INPUT) break;
      if (isTransferred(item)) {
        (transferList ??= []).push(...item.transferList);
        item = item.value;
      }
      items.push(item);
    }
    if (items.length === 0) return END_OF_INPUT;
    return transferList === undefined ? items : transfer(items, [...new Set(transferList)]);
  }

  /** Lets the input clean up (its `finally` blocks run) when the map stops before the end. */
  async close(): Promise<void> {
    if (this.#exhausted) return;
    this.#exhausted = true;
    const closing = Promise.resolve(this.#iterator.return?.()).then(
      () => undefined,
      () => undefined,
    );
    // An async generator answers return() only after its pending next(); never wait on a hung input.
    if (!this.#pendingNext) await closing;
  }

  async #nextItem(): Promise<unknown> {
    if (this.#exhausted) return END_OF_INPUT;
    this.#throwIfAborted();
    let step = this.#iterator.next();
    if (isPromise(step)) step = await this.#unlessAborted(step);
    if (step.done === true) {
      this.#exhausted = true;
      return END_OF_INPUT;
    }
    return step.value;
  }

  async #unlessAborted<T>(pending: Promise<T>): Promise<T> {
    const signal = this.#signal;
    this.#pendingNext = true;
    const settled = (): void => {
      this.#pendingNext = false;
    };
    pending.then(settled, settled);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        reject(new TaskAbortedError(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([pending, aborted]);
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  }

  #throwIfAborted(): void {
    if (this.#signal.aborted) throw new TaskAbortedError(this.#signal.reason);
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}
