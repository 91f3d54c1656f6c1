import { WaitAbortedError, WaitTimeoutError } from './errors.js';
import { holdEventLoop, releaseEventLoop } from './keep-alive.js';
import { failOption } from './validate.js';

/** What a task's `context` offers: `throwIfAborted()` reads the task's abort state from shared memory. */
export interface Abortable {
  throwIfAborted(): void;
}

/** How long a wait may last, and what may cancel it. Every waiting method of `spindle/shared` takes these. */
export interface WaitOptions {
  /**
   * Milliseconds to wait at most; past it the call fails with `ERR_WAIT_TIMEOUT`.
   * `0` tries once without waiting.
   * @default Infinity
   */
  readonly timeout?: number;
  /**
   * Cancels the wait: it fails with `ERR_WAIT_ABORTED`, the signal's reason as
   * `cause`. An `AbortSignal`, or, in a task, the task's `context`: a blocked
   * thread runs no event loop, so `context.signal` cannot fire while it waits,
   * but `context.throwIfAborted()` reads the abort from shared memory, and a
   * blocking wait calls it every 10 ms.
   */
  readonly signal?: AbortSignal | Abortable;
}

/** How often a wait polls a `signal` that has no abort event (a task's `context`). */
export const ABORT_POLL_MS = 10;
/**
 * The longest single `Atomics.waitAsync()` of a wait that has an `AbortSignal`.
 * An aborted async wait cannot be withdrawn from V8's list of waiters; sliced
 * like this, it leaves that list within this time even if nobody notifies it.
 */
const ABANDONED_WAIT_MAX_MS = 1_000;

/** `Atomics.waitAsync` (Node 16+), which the ES2023 library types do not declare yet. */
const waitAsync = (Atomics as unknown as {
  readonly waitAsync: (view: Int32Array, index: number, value: number, timeout: number) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}).waitAsync;

const isAbortSignal = (value: AbortSignal | Abortable): value is AbortSignal => value instanceof AbortSignal;

/**
 * The end of one wait: when it times out, what may abort it, and what it
 * waits for (for the messages). Made only when a call has to wait.
 */
export class Deadline {
  readonly #endsAt: number;
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal | Abortable | undefined;
  readonly what: string;

  /** Starts the clock. `options` must have passed {@link checkWaitOptions}. */
  constructor(options: WaitOptions | undefined, what: string) {
    this.#timeoutMs = options?.timeout ?? Infinity;
    this.#endsAt = performance.now() + this.#timeoutMs;
    this.#signal = options?.signal;
    this.what = what;
  }

  /** Validates `options`, throws if the signal has already fired, and starts the clock. */
  static start(options: WaitOptions | undefined, what: string): Deadline {
    checkWaitOptions(options);
    const deadline = new Deadline(options, what);
    deadline.throwIfAborted();
    return deadline;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Throws ERR_WAIT_ABORTED if the signal fired, ERR_WAIT_TIMEOUT if the time is up. */
  throwIfOver(): void {
    this.throwIfAborted();
    if (this.#timeoutMs !== Infinity && performance.now() >= this.#endsAt) throw new WaitTimeoutError(this.what, this.#timeoutMs);
  }

  throwIfAborted(): void {
    const signal = this.#signal;
    if (signal === undefined) return;
    if (isAbortSignal(signal)) {
      if (signal.aborted) throw new WaitAbortedError(this.what, signal.reason);
      return;
    }
    try {
      signal.throwIfAborted();
    } catch (reason) {
      throw new WaitAbortedError(this.what, reason);
    }
  }

  /** Milliseconds the next single wait may last: what is left, cut into slices when the signal must be polled. */
  sliceMs(asynchronous: boolean): number {
    const left = this.#timeoutMs === Infinity ? Infinity : Math.max(0, this.#endsAt - performance.now());
    if (this.#signal === undefined) return left;
    return Math.min(left, isAbortSignal(this.#signal) ? (asynchronous ? ABANDONED_WAIT_MAX_MS : left) : ABORT_POLL_MS);
  }

  /** The signal to listen to, when it is an `AbortSignal`. */
  get abortSignal(): AbortSignal | undefined {
    return this.#signal !== undefined && isAbortSignal(this.#signal) ? this.#signal : undefined;
  }
}

/**
 * What every waiting method does before its first attempt: ERR_INVALID_OPTION
 * for bad options, ERR_WAIT_ABORTED when the signal has already fired (even
 * if what it waits for is there). Nothing to do without options.
 */
export function checkWaitStart(options: WaitOptions | undefined, what: string): void {
  if (options === undefined) return;
  checkWaitOptions(options);
  if (options.signal !== undefined) new Deadline(options, what).throwIfAborted();
}

/** ERR_INVALID_OPTION unless `options` is undefined or `{ timeout?, signal? }` with valid values. */
export function checkWaitOptions(options: WaitOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || (options as unknown) === null) failOption('options', 'an object or undefined', options);
  const { timeout, signal } = options;
  if (timeout !== undefined && (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0)) {
    failOption('timeout', 'a number of milliseconds >= 0 (Infinity for none)', timeout);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal) && typeof (signal as Partial<Abortable> | null)?.throwIfAborted !== 'function') {
    failOption('signal', 'an AbortSignal or an object with throwIfAborted() (a task context)', signal);
  }
}

/**
 * Blocks this thread until `view[index]` may no longer hold `expected`: it
 * changed, someone notified, or a slice of the deadline passed. The caller
 * re-checks its condition and calls again; this throws once the deadline is
 * over or the signal fired. Never called on the main thread.
 */
export function blockOnce(view: Int32Array, index: number, expected: number, deadline: Deadline | undefined): void {
  if (deadline === undefined) {
    Atomics.wait(view, index, expected);
    return;
  }
  deadline.throwIfOver();
  Atomics.wait(view, index, expected, deadline.sliceMs(false));
}

/**
 * The event-loop form of {@link blockOnce}: resolves when `view[index]` may
 * no longer hold `expected`, without blocking the thread.
 *
 * An aborted wait leaves V8's waiter behind (it cannot be withdrawn). If a
 * notify then lands on it, that wake-up was meant for a live waiter: it is
 * passed on with a notify of its own, so no waiter is left asleep.
 */
export async function waitOnce(view: Int32Array, index: number, expected: number, deadline: Deadline | undefined): Promise<void> {
  deadline?.throwIfOver();
  const result = waitAsync(view, index, expected, deadline?.sliceMs(true) ?? Infinity);
  if (!result.async) return;
  holdEventLoop();
  try {
    const signal = deadline?.abortSignal;
    if (signal === undefined) await result.value;
    else await untilAborted(result.value, signal, deadline as Deadline, view, index);
  } finally {
    releaseEventLoop();
  }
}

function untilAborted(woken: Promise<'ok' | 'timed-out'>, signal: AbortSignal, deadline: Deadline, view: Int32Array, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let abandoned = false;
    const onAbort = (): void => {
      abandoned = true;
      reject(new WaitAbortedError(deadline.what, signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void woken.then((outcome) => {
      if (abandoned) {
        if (outcome === 'ok') Atomics.notify(view, index, 1);
        return;
      }
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
