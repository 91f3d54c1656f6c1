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

/** What a task module's optional `setup` export receives, once per worker. */
export interface WorkerSetupContext {
  /** The pool's `workerData` option. */
  readonly workerData: unknown;
  readonly threadId: number;
}

/** `export async function setup(context)`: runs once per worker before its first task; if it throws, the worker failed to load. */
export type WorkerSetup = (context: WorkerSetupContext) => unknown;

/** `export async function teardown()`: runs once when the worker is retired or the pool closes (not when it crashes or is terminated). */
export type WorkerTeardown = () => unknown;

/** `setup` and `teardown`: exports of a task module that run once per worker; they are not tasks. */
export type LifecycleExport = 'setup' | 'teardown';

/** The exports of a task module that are not tasks. */
export const LIFECYCLE_EXPORTS: readonly LifecycleExport[] = ['setup', 'teardown'];
