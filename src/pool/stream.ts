import { Transform, type TransformCallback } from 'node:stream';
import { TaskAbortedError } from '../errors.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { createResultWindow } from './result-window.js';
import type { RunOptions } from '../scheduler/run-settings.js';
import { invalidArgument } from '../options/expectations.js';
import { optionsObject, resolveWindowOptions, type SubmitTask, type WindowOptions } from './window-options.js';

/** Options of `pool.stream()`; `priority`, `timeout`, `queueTimeout` and `retries` apply to each task call. */
export interface StreamOptions extends WindowOptions {
  /**
   * Objects buffered on each side of the stream, as in any object-mode
   * stream; together with `concurrency` it bounds what the stream holds.
   * @default 16
   */
  readonly highWaterMark?: number;
}

/**
 * An object-mode Transform that runs task `name` on each object written
 * and emits the results in the order the objects came in. Up to
 * `concurrency` objects are in the pool at once; past that, the writable
 * side stops taking more, and a slow reader holds the writer back too.
 * A result of `null` or `undefined` is not emitted (a stream cannot carry
 * `null`): such a task filters its input. The first failed task destroys
 * the stream with its error; destroying the stream cancels the tasks it
 * still has in the pool.
 */
export function createTaskStream(submit: SubmitTask, name: string, options: StreamOptions | undefined, poolOptions: ResolvedOptions): Transform {
  const given = optionsObject(options);
  const { highWaterMark = 16 } = given;
  if (!Number.isInteger(highWaterMark) || highWaterMark < 1) invalidArgument('highWaterMark', 'an integer >= 1', highWaterMark);
  const settings = resolveWindowOptions(name, given, poolOptions);
  const stream = new TaskStream(submit, name, settings.concurrency, settings.runOptions, highWaterMark);
  const signal = settings.signal;
  if (signal !== undefined) {
    const onAbort = (): void => {
      stream.destroy(new TaskAbortedError(signal.reason));
    };
    // Already aborted: destroyed on the next tick, once the caller has piped it (a stream destroyed
    // before pipeline() attaches is an unhandled 'error' on Node 24).
    if (signal.aborted) process.nextTick(onAbort);
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => {
        signal.removeEventListener('abort', onAbort);
      });
    }
  }
  return stream;
}

class TaskStream extends Transform {
  readonly #submit: SubmitTask;
  readonly #name: string;
  readonly #concurrency: number;
  readonly #runOptions: RunOptions;
  readonly #stop = new AbortController();
  readonly #window = createResultWindow(true);
  #emitting = false;
  /** The callback of the write that filled the window: calling it lets the next object in. */
  #heldWrite: TransformCallback | undefined;
  /** The end of input came while results were still due. */
  #heldFlush: TransformCallback | undefined;

  constructor(submit: SubmitTask, name: string, concurrency: number, runOptions: RunOptions, highWaterMark: number) {
    super({ objectMode: true, highWaterMark });
    this.#submit = submit;
    this.#name = name;
    this.#concurrency = concurrency;
    this.#runOptions = { ...runOptions, signal: this.#stop.signal };
  }

  override _transform(item: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#window.add(this.#submit(this.#name, item, this.#runOptions));
    if (!this.#emitting) void this.#emitResults();
    if (this.#window.size < this.#concurrency) callback();
    else this.#heldWrite = callback;
  }

  override _flush(callback: TransformCallback): void {
    if (this.#window.size === 0) callback();
    else this.#heldFlush = callback;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#window.size > 0) this.#stop.abort(error ?? new DOMException('The stream was destroyed', 'AbortError'));
    callback(error);
  }

  /** Emits results in order as they come; runs while the window is not empty. */
  async #emitResults(): Promise<void> {
    this.#emitting = true;
    try {
      while (this.#window.size > 0) {
        const result = await this.#window.take();
        if (this.destroyed) return;
        if (result !== null && result !== undefined) this.push(result);
        this.#releaseWrite();
      }
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    } finally {
      this.#emitting = false;
    }
    const flush = this.#heldFlush;
    this.#heldFlush = undefined;
    flush?.();
  }

  #releaseWrite(): void {
    const write = this.#heldWrite;
    if (write === undefined || this.#window.size >= this.#concurrency) return;
    this.#heldWrite = undefined;
    write();
  }
}
