import { ABORT_SEQ } from '../protocol/shared-slots.js';
import type { TaskContext } from '../protocol/task-context.js';

export type ProgressSink = (seq: number, value: unknown, event?: string) => void;

/** One per task; the AbortController is created only if the task asks for its signal. */
export class TaskContextImpl implements TaskContext {
  readonly #seq: number;
  readonly #sharedState: Int32Array;
  readonly #sendProgress: ProgressSink;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #aborted = false;
  readonly threadId: number;

  constructor(seq: number, threadId: number, sharedState: Int32Array, sendProgress: ProgressSink) {
    this.#seq = seq;
    this.threadId = threadId;
    this.#sharedState = sharedState;
    this.#sendProgress = sendProgress;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#aborted && !this.#controller.signal.aborted) this.#controller.abort(this.#abortReason);
    return this.#controller.signal;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#abortReason;
    if (Atomics.load(this.#sharedState, ABORT_SEQ) === this.#seq) {
      this.abort(new DOMException('The task was aborted', 'AbortError'));
      throw this.#abortReason;
    }
  }

  progress(value: unknown): void {
    this.#sendProgress(this.#seq, value);
  }

  emit(event: string, data?: unknown): void {
    if (typeof event !== 'string') throw new TypeError(`context.emit() expects an event name string, got ${typeof event}`);
    this.#sendProgress(this.#seq, data, event);
  }

  /** Called by the runner when the pool asks this task to stop. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}
