import type { MessagePort } from 'node:worker_threads';

/**
 * The wire protocol between the pool and its workers: the only module both
 * sides import. Messages are flat arrays (cheaper to clone than objects), and
 * several tasks or results travel in one message when tasks are short.
 *
 *   pool → worker   [RUN, seq, task, argument, seq, task, argument, ...]
 *                   [ABORT, seq, wireReason]
 *                   [CLOSE]
 *                   [REVOKE, upToSeq]   (a process worker: skip every task up to upToSeq not yet started)
 *   worker → pool   [READY, taskNames[]]
 *                   [LOAD_FAILED, wireError, location?]   (location: where a syntax error is, if known)
 *                   [RESULTS, seq, outcome, value, runTimeUs, seq, outcome, value, runTimeUs, ...]
 *                   [PROGRESS, seq, value] or [PROGRESS, seq, data, eventName]
 *                   [HEAP_OVER_LIMIT, usedBytes]   (sent once, when maxHeapUsedMb is set)
 *                   [TEARDOWN_FAILED, wireError]   (the module's teardown export threw)
 *                   [EXITING, runningSeq, wireError?]   (a process worker about to exit: the task it
 *                                            runs, 0 if none, and the uncaught exception or unhandled
 *                                            rejection that ends it, if one does; a thread's error
 *                                            reaches the pool as its 'error' event, and what it ran
 *                                            is in the shared slots)
 *
 * `seq` numbers the tasks sent to one worker (1, 2, 3 …); it travels negated
 * when the worker must first send the results it holds: the pool expects the
 * task to be slow, or may end the worker while it runs (a timeout or a
 * signal). The pool decides, from its run-time estimates. `task` is the index
 * of the task's name in that worker's READY list (a number clones faster than
 * a string), or a name string. A worker answers every RUN record with exactly
 * one RESULTS record, which names the task by its `seq`. Results come in the
 * order of the RUN records, except from a worker that runs several
 * asynchronous tasks at once (the `asyncTasksPerWorker` option): each of
 * those is answered when it finishes.
 *
 * A RUN record whose name is `chunkTaskName(task)` carries an array of
 * arguments: the worker applies `task` to each in turn and answers with the
 * array of results, so `pool.map()` sends many small items per task.
 */

export const MessageKind = {
  Run: 1,
  Abort: 2,
  Close: 3,
  Revoke: 4,
  Ready: 10,
  LoadFailed: 11,
  Results: 12,
  Progress: 13,
  HeapOverLimit: 14,
  TeardownFailed: 15,
  Exiting: 16,
} as const;

export const RUN_FIELDS = 3;

/** No real export is named with a leading NUL character, so this prefix never meets a user's task. */
const CHUNK_PREFIX = '\0chunk:';

/** The name under which a chunk of `taskName` calls travels. */
export function chunkTaskName(taskName: string): string {
  return CHUNK_PREFIX + taskName;
}

/** The task applied to each item of a chunk, or undefined if `name` is not a chunk's. */
export function chunkedTaskOf(name: string): string | undefined {
  // Checked on every submission: the first character rules out nearly every name at once.
  return name.charCodeAt(0) === 0 && name.startsWith(CHUNK_PREFIX) ? name.slice(CHUNK_PREFIX.length) : undefined;
}
export const RESULT_FIELDS = 4;

/**
 * The pool takes back the tasks waiting behind a call (to run them
 * elsewhere) only once that call has run at least this long (the watchdog's
 * overrun, scheduler/watchdog.ts). A process worker, which reads the pool's
 * messages only from its event loop, returns there after a task that ran
 * this long, so that it sees such a REVOKE before it starts the next one.
 */
export const TAKE_BACK_AFTER_MS = 5;

export const Outcome = {
  /** The task returned a value. */
  Ok: 0,
  /** The task threw; the value is a wire error. */
  Threw: 1,
  /** The result could not be cloned; the value is a wire error. */
  NotCloneable: 2,
  /** The task did not run: aborted before it started, or taken back by the pool; the value is undefined. */
  Skipped: 3,
  /** No task of that name; the value is the list of known names. */
  UnknownTask: 4,
} as const;

export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

/** The first message a thread worker receives on `parentPort`: its private channel to the pool, and its boot data. */
export interface ThreadStartMessage {
  readonly port: MessagePort;
  readonly boot: WorkerBootData;
}

/** The first message a process worker receives on its IPC channel: its boot data (no memory is shared with a process) and the pool's workerData. */
export interface ProcessStartMessage {
  /** What a process worker needs of WorkerBootData (it shares no memory with the pool, and runs one task at a time). */
  readonly boot: { readonly moduleUrl: string; readonly maxHeapUsedBytes?: number; readonly busyPollUs: number };
  /**
   * Absent when undefined, as `boot.maxHeapUsedBytes` is: a property left
   * undefined would make the message go as V8's serialization (JSON drops
   * it; see process-wire.ts), and the worker load `node:v8` to read its very
   * first message (0.9–1.9 ms of a Node 24 process worker's start).
   */
  readonly workerData?: unknown;
}

/** What the pool hands a worker at start. */
export interface WorkerBootData {
  readonly moduleUrl: string;
  /** Slots and the result log shared with the pool, see ./shared-slots.ts. */
  readonly sharedState: SharedArrayBuffer;
  /** Report HEAP_OVER_LIMIT once the heap passes this after a task. */
  readonly maxHeapUsedBytes: number | undefined;
  /** Microseconds an idle worker keeps polling for its next task before it sleeps (0: never). */
  readonly busyPollUs: number;
  /**
   * How many asynchronous tasks the worker runs at once (absent: 1). Above 1
   * the worker starts the next task while earlier ones await, answers each
   * when it finishes, and writes each task's start time to the start table
   * of its shared slots (see shared-slots.ts).
   */
  readonly asyncTasksPerWorker?: number;
}
