import { RingBuffer } from '../util/ring-buffer.js';

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * The task calls of a `map()` or `stream()` that were submitted and not yet
 * taken: a bounded window over the input. `take()` hands back the next
 * result, either in submission order or in completion order, and throws the
 * error of a call that failed. Every call's failure is observed from the
 * moment it is added, so an abandoned window never leaves an unhandled
 * rejection behind.
 */
export interface ResultWindow {
  /** Calls added and not yet taken. */
  readonly size: number;
  add(call: Promise<unknown>): void;
  take(): Promise<unknown>;
}

export function createResultWindow(ordered: boolean): ResultWindow {
  return ordered ? new SubmissionOrderWindow() : new CompletionOrderWindow();
}

/** Results in the order the calls were added: the head waits for its own call. */
class SubmissionOrderWindow implements ResultWindow {
  readonly #calls = new RingBuffer<Promise<Settled>>();

  get size(): number {
    return this.#calls.length;
  }

  add(call: Promise<unknown>): void {
    this.#calls.push(call.then(succeeded, failed));
  }

  async take(): Promise<unknown> {
    const head = this.#calls.shift();
    if (head === undefined) throw new Error('take() on an empty result window');
    return unwrap(await head);
  }
}

/** Results in the order the calls finish. */
class CompletionOrderWindow implements ResultWindow {
  readonly #finished = new RingBuffer<Settled>();
  #running = 0;
  #wakeTaker: (() => void) | undefined;

  get size(): number {
    return this.#running + this.#finished.length;
  }

  add(call: Promise<unknown>): void {
    this.#running++;
    const finish = (settled: Settled): void => {
      this.#running--;
      this.#finished.push(settled);
      const wake = this.#wakeTaker;
      this.#wakeTaker = undefined;
      wake?.();
    };
    call.then(
      (value: unknown) => {
        finish(succeeded(value));
      },
      (error: unknown) => {
        finish(failed(error));
      },
    );
  }

  async take(): Promise<unknown> {
    if (this.size === 0) throw new Error('take() on an empty result window');
    while (this.#finished.length === 0) {
      await new Promise<void>((resolve) => {
        this.#wakeTaker = resolve;
      });
    }
    return unwrap(this.#finished.shift() as Settled);
  }
}

function succeeded(value: unknown): Settled {
  return { ok: true, value };
}

function failed(error: unknown): Settled {
  return { ok: false, error };
}

function unwrap(settled: Settled): unknown {
  if (settled.ok) return settled.value;
  throw settled.error;
}
