/** What a task function receives as its second argument. (In protocol/: the pool's task types name it too.) */
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
