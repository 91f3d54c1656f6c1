import { adopt, checkHandle, takeAdopted, type Handle } from './handle.js';
import { WATCHED } from './slots.js';
import { assertMayBlock } from './thread.js';
import { failArgument, failOption, optionsObject } from './validate.js';
import { checkWaitStart, Deadline, type WaitOptions } from './wait.js';
import { announceChange, blockUntil, waitUntil } from './watch.js';

/** The integer a counter holds: 32-bit ones read as `number`, 64-bit ones as `bigint`. Arithmetic wraps as the typed array's does. */
export type CounterType = 'int32' | 'uint32' | 'bigint64' | 'biguint64';
export type CounterValue<T extends CounterType> = T extends 'bigint64' | 'biguint64' ? bigint : number;

export interface SharedCounterOptions<T extends CounterType> {
  /** @default 'int32' */
  readonly type?: T;
  /** @default 0 (0n for the 64-bit types) */
  readonly initial?: CounterValue<T>;
}

/** What a `SharedCounter` crosses into a task as: `counter.toHandle()`, rebuilt with `SharedCounter.from(handle)`. */
export interface SharedCounterHandle<T extends CounterType = CounterType> extends Handle<'spindle:counter'> {
  readonly type: T;
}

const ARRAYS = { int32: Int32Array, uint32: Uint32Array, bigint64: BigInt64Array, biguint64: BigUint64Array } as const;
const BYTES = WATCHED.VALUE_BYTE_OFFSET + 8;
const WHAT = 'the counter';

type NumberArray = Int32Array | Uint32Array;
type BigIntArray = BigInt64Array | BigUint64Array;

/**
 * An integer in shared memory that any thread updates atomically and any
 * thread reads live: items done, bytes written, errors seen. Every update is
 * one atomic operation; `waitFor(predicate)` sleeps until an update makes
 * the predicate true (updates wake waiters only while there are some).
 *
 *     const done = new SharedCounter();                 // number, int32
 *     const bytes = new SharedCounter({ type: 'biguint64' }); // bigint
 */
export class SharedCounter<T extends CounterType = 'int32'> {
  readonly #buffer: SharedArrayBuffer;
  readonly #header: Int32Array;
  readonly #array: NumberArray | BigIntArray;
  readonly #type: T;
  readonly #wrap: (value: number | bigint) => number | bigint;
  readonly #big: boolean;

  constructor(options?: SharedCounterOptions<T>) {
    const adopted = takeAdopted();
    const { type = 'int32' as T, initial } = optionsObject(options, 'options');
    if (!Object.hasOwn(ARRAYS, type)) failOption('type', `one of ${Object.keys(ARRAYS).join(', ')}`, type);
    this.#type = type;
    this.#big = type === 'bigint64' || type === 'biguint64';
    this.#buffer = adopted ?? new SharedArrayBuffer(BYTES);
    this.#header = new Int32Array(this.#buffer, 0, 2);
    const ArrayType = ARRAYS[type] as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => NumberArray | BigIntArray;
    this.#array = new ArrayType(this.#buffer, WATCHED.VALUE_BYTE_OFFSET, 1);
    this.#wrap = wrapperOf(type);
    if (initial !== undefined && adopted === undefined) {
      this.#check(initial, 'initial');
      this.set(initial);
    }
  }

  static from<T extends CounterType>(handle: SharedCounterHandle<T>): SharedCounter<T> {
    checkHandle(handle, 'spindle:counter', 'SharedCounter', BYTES);
    return adopt(handle.buffer, () => new SharedCounter<T>({ type: handle.type }));
  }

  toHandle(): SharedCounterHandle<T> {
    return { kind: 'spindle:counter', buffer: this.#buffer, type: this.#type };
  }

  get type(): T {
    return this.#type;
  }

  /** The value now. */
  get value(): CounterValue<T> {
    return (this.#big ? Atomics.load(this.#array as BigIntArray, 0) : Atomics.load(this.#array as NumberArray, 0)) as CounterValue<T>;
  }

  set(value: CounterValue<T>): void {
    this.#check(value, 'value');
    if (this.#isBig()) Atomics.store(this.#array as BigIntArray, 0, value as bigint);
    else Atomics.store(this.#array as NumberArray, 0, value as number);
    announceChange(this.#header);
  }

  /** Adds `delta` (negative to subtract) and returns the new value. */
  add(delta: CounterValue<T>): CounterValue<T> {
    this.#check(delta, 'delta');
    const previous = this.#isBig() ? Atomics.add(this.#array as BigIntArray, 0, delta as bigint) : Atomics.add(this.#array as NumberArray, 0, delta as number);
    announceChange(this.#header);
    return this.#wrap((previous as number) + (delta as number)) as CounterValue<T>;
  }

  /** Adds one and returns the new value. */
  increment(): CounterValue<T> {
    return this.add((this.#isBig() ? 1n : 1) as CounterValue<T>);
  }

  /** Subtracts one and returns the new value. */
  decrement(): CounterValue<T> {
    return this.add((this.#isBig() ? -1n : -1) as CounterValue<T>);
  }

  /** Sets `value` and returns the value it replaced. */
  exchange(value: CounterValue<T>): CounterValue<T> {
    this.#check(value, 'value');
    const previous = this.#isBig() ? Atomics.exchange(this.#array as BigIntArray, 0, value as bigint) : Atomics.exchange(this.#array as NumberArray, 0, value as number);
    announceChange(this.#header);
    return previous as CounterValue<T>;
  }

  /** Sets `replacement` if the value is `expected`; returns the value found (equal to `expected` when it was set), as `Atomics.compareExchange`. */
  compareExchange(expected: CounterValue<T>, replacement: CounterValue<T>): CounterValue<T> {
    this.#check(expected, 'expected');
    this.#check(replacement, 'replacement');
    const found = this.#isBig()
      ? Atomics.compareExchange(this.#array as BigIntArray, 0, expected as bigint, replacement as bigint)
      : Atomics.compareExchange(this.#array as NumberArray, 0, expected as number, replacement as number);
    if (found === this.#wrap(expected)) announceChange(this.#header);
    return found as CounterValue<T>;
  }

  /** Resolves with the value once `predicate(value)` holds (at once if it holds now), never blocking the thread. */
  async waitFor(predicate: (value: CounterValue<T>) => boolean, options?: WaitOptions): Promise<CounterValue<T>> {
    if (typeof predicate !== 'function') failArgument('predicate', 'a function', predicate);
    const deadline = options === undefined ? undefined : Deadline.start(options, `${WHAT} to reach a value`);
    return (await waitUntil(this.#header, () => this.#test(predicate), deadline)).value;
  }

  /** Blocks until `predicate(value)` holds and returns the value (worker threads only). */
  waitForSync(predicate: (value: CounterValue<T>) => boolean, options?: WaitOptions): CounterValue<T> {
    assertMayBlock('SharedCounter#waitForSync()', 'await counter.waitFor()');
    if (typeof predicate !== 'function') failArgument('predicate', 'a function', predicate);
    checkWaitStart(options, WHAT);
    const deadline = options === undefined ? undefined : new Deadline(options, `${WHAT} to reach a value`);
    return blockUntil(this.#header, () => this.#test(predicate), deadline).value;
  }

  #test(predicate: (value: CounterValue<T>) => boolean): { value: CounterValue<T> } | undefined {
    const value = this.value;
    return predicate(value) ? { value } : undefined;
  }

  #isBig(): boolean {
    return this.#big;
  }

  #check(value: unknown, name: string): void {
    if (this.#isBig() ? typeof value !== 'bigint' : typeof value !== 'number' || !Number.isInteger(value)) {
      failArgument(name, this.#isBig() ? `a bigint (a ${this.#type} counter)` : `an integer (a ${this.#type} counter)`, value);
    }
  }
}

function wrapperOf(type: CounterType): (value: number | bigint) => number | bigint {
  switch (type) {
    case 'int32': return (value) => (value as number) | 0;
    case 'uint32': return (value) => (value as number) >>> 0;
    case 'bigint64': return (value) => BigInt.asIntN(64, value as bigint);
    case 'biguint64': return (value) => BigInt.asUintN(64, value as bigint);
  }
}
