import { ABORT_SEQ } from '../protocol/shared-slots.js';

/** What a task function receives as its second argument. */
export interface TaskContext {
  /** Fires when the caller aborts the task or its timeout expires. */
  readonly signal: AbortSignal;
  /** The worker thread running this task, for log lines. */
  readonly threadId: number;
  /** Throws the abort reason if the task was cancelled; cheap enough for a hot loop. */
  throwIfAborted(): void;
  /** Sends a progress value to the caller's `onProgress`, in order, before the result. */
  progress(value: unknown): void;
  /** Sends a named event to the caller's `onEvent(event, data)`, on the same ordered channel as progress. */
  emit(event: string, data?: unknown): void;
}

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
