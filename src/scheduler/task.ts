import type { Transferable } from 'node:worker_threads';
import type { RunSettings } from './run-settings.js';
import type { Queueable } from './task-queue.js';
import type { SentTask, WorkerHandle } from '../workforce/worker-handle.js';

/** A worker as the scheduler sees it: the tasks sent to it are TaskRecords. */
export type TaskWorker = WorkerHandle<TaskRecord>;

/** Everything the pool knows about one submitted task; it settles exactly once. */
export class TaskRecord implements Queueable, SentTask {
  readonly name: string;
  argument: unknown;
  readonly transferList: readonly Transferable[];
  /** The call's options, resolved; shared by every call that passed none. */
  readonly settings: RunSettings;
  enqueuedAt = 0;
  removed = false;
  queueToken = 0;
  settled = false;
  retriesLeft: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Where the current attempt was sent, and its sequence number there. */
  worker: TaskWorker | undefined = undefined;
  seq = 0;
  /** Expected run time counted into the worker's backlog at dispatch. */
  expectedUs = 0;
  /** The argument's buffers were moved to a worker: the task cannot be sent again. */
  argumentMoved = false;
  /** Its queue deadline passed while it waited in a worker that takes tasks back by message: if they come back unstarted, it fails with ERR_QUEUE_TIMEOUT. */
  queueExpired = false;
  /** Fires when the task has waited `queueTimeout` without starting (see deadlines.ts). */
  queueTimer: NodeJS.Timeout | undefined = undefined;
  /** Fires when the current attempt may have run past `timeout`. */
  runTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    name: string,
    argument: unknown,
    transferList: readonly Transferable[],
    settings: RunSettings,
    resolve: (value: unknown) => void,
    reject: (error: Error) => void,
  ) {
    this.name = name;
    this.argument = argument;
    this.transferList = transferList;
    this.settings = settings;
    this.retriesLeft = settings.retries;
    this.resolve = resolve;
    this.reject = reject;
  }

  get priority(): number {
    return this.settings.priority;
  }

  get timeout(): number | undefined {
    return this.settings.timeout;
  }

  get queueTimeout(): number | undefined {
    return this.settings.queueTimeout;
  }

  get signal(): AbortSignal | undefined {
    return this.settings.signal;
  }
}
