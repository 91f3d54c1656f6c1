import type { Transferable } from 'node:worker_threads';
import type { Queueable } from './task-queue.js';
import type { WorkerHandle } from './worker-handle.js';

/** Per-call options of `pool.run()`. */
export interface RunOptions {
  /** Higher runs first; FIFO within a priority. @default 0 */
  readonly priority?: number;
  /** Cancels the task: removed from the queue, or asked to stop if running. */
  readonly signal?: AbortSignal | null;
  /** Run-time limit in ms for this call. @default the pool's `timeout` */
  readonly timeout?: number;
  /** Queue-wait limit in ms for this call. @default the pool's `queueTimeout` */
  readonly queueTimeout?: number;
  /** Extra attempts after a worker death or timeout. @default the pool's `retries` */
  readonly retries?: number;
  /** Receives the task's `context.progress()` values, in order, before the result. */
  readonly onProgress?: (value: unknown) => void;
}

/** Everything the pool knows about one submitted task; it settles exactly once. */
export class TaskRecord implements Queueable {
  readonly id: number;
  readonly name: string;
  argument: unknown;
  transferList: readonly Transferable[];
  readonly priority: number;
  enqueuedAt: number;
  readonly submittedAt: number;
  removed = false;
  settled = false;
  readonly timeout: number | undefined;
  readonly queueTimeout: number | undefined;
  retriesLeft: number;
  attempts = 0;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((value: unknown) => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Where the current attempt runs, and its sequence number there. */
  worker: WorkerHandle | undefined;
  seq = 0;
  /** Expected run time counted into the worker's backlog at dispatch. */
  expectedUs = 0;
  timer: NodeJS.Timeout | undefined;
  abortListener: (() => void) | undefined;

  constructor(
    id: number,
    name: string,
    argument: unknown,
    transferList: readonly Transferable[],
    settings: {
      priority: number;
      timeout: number | undefined;
      queueTimeout: number | undefined;
      retries: number;
      signal: AbortSignal | undefined;
      onProgress: ((value: unknown) => void) | undefined;
    },
    resolve: (value: unknown) => void,
    reject: (error: Error) => void,
  ) {
    this.id = id;
    this.name = name;
    this.argument = argument;
    this.transferList = transferList;
    this.priority = settings.priority;
    this.timeout = settings.timeout;
    this.queueTimeout = settings.queueTimeout;
    this.retriesLeft = settings.retries;
    this.signal = settings.signal;
    this.onProgress = settings.onProgress;
    this.resolve = resolve;
    this.reject = reject;
    this.submittedAt = this.enqueuedAt = performance.now();
  }

  clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
