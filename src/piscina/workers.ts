import type { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { PoolDestroyedError, TaskAbortedError, WorkerExitedError, WorkerOutOfMemoryError } from '../errors.js';
import type { TaskRecord, TaskWorker } from '../scheduler/task.js';
import type { WorkerViews } from './balancer.js';
import type { Workforce } from '../workforce/workforce.js';
import { PiscinaAbortError, PiscinaTerminatedError, PiscinaWorkerExitError } from './errors.js';

/**
 * piscina's view of the engine's workers: the `worker_threads` Worker of
 * each (`pool.threads`), the `workerCreate` / `workerDestroy` (with the
 * worker's PiscinaWorker view, as piscina), `message` and `error` events,
 * and engine errors turned into the ones piscina raises.
 */
export class Workers {
  readonly #pool: EventEmitter;
  /** Called when a worker started (with it) or exited (with undefined). */
  readonly #changed: (started: TaskWorker | undefined) => void;
  #workforce: Workforce<TaskRecord> | undefined;
  readonly #views: WorkerViews;
  /** The workers announced (workerCreate), by threadId: each is announced and ended once. */
  readonly #byThreadId = new Map<number, TaskWorker>();
  /** Uncaught errors that failed a task: they reached a caller, so they are not also emitted as `error`. */
  readonly #reported = new WeakSet<object>();

  constructor(pool: EventEmitter, views: WorkerViews, changed: (started: TaskWorker | undefined) => void) {
    this.#pool = pool;
    this.#views = views;
    this.#changed = changed;
  }

  attach(workforce: Workforce<TaskRecord>): void {
    this.#workforce = workforce;
  }

  threads(): Worker[] {
    const threads: Worker[] = [];
    for (const worker of this.#workforce?.workers ?? []) {
      // A retiring worker (idle past idleTimeout, or recycled) is on its way out: piscina drops it at once.
      if ((worker.state === 'starting' || worker.state === 'ready') && worker.runtime.thread !== undefined) threads.push(worker.runtime.thread);
    }
    return threads;
  }

  engineEvent(name: string, info: unknown): void {
    const { threadId, error } = (info ?? {}) as { threadId?: number; error?: Error };
    if (name === 'workerStart' && threadId !== undefined) this.#created(threadId);
    else if (name === 'workerExit' && threadId !== undefined) {
      const worker = this.#byThreadId.get(threadId);
      this.#byThreadId.delete(threadId);
      if (worker !== undefined) this.#pool.emit('workerDestroy', this.#views.viewOf(worker));
      this.#changed(undefined);
    } else if (name === 'workerError' && error !== undefined) {
      // Emitted before the worker's tasks fail: if none of them carries this error, it reached no caller.
      setImmediate(() => {
        if (!this.#reported.has(error)) this.#pool.emit('error', error);
      });
    }
  }

  /**
   * Announces the workers started with the pool, in a microtask (after the
   * caller has attached its listeners), as piscina does: before they have
   * loaded, so that one ended while loading is announced too, and its end.
   */
  announceInitial(): void {
    const initial = [...(this.#workforce?.workers ?? [])];
    this.#views.noteInitial(initial);
    queueMicrotask(() => {
      for (const worker of initial) if (worker.state !== 'exited') this.#created(worker.threadId, false);
    });
  }

  /** A worker started (announced at once), or one announced at the start finished loading (`changed` only). */
  #created(threadId: number, changed = true): void {
    const worker = this.#workforce?.workers.find((candidate) => candidate.threadId === threadId);
    const thread = worker?.runtime.thread;
    if (worker === undefined || thread === undefined) return;
    if (this.#byThreadId.has(threadId)) {
      if (changed) this.#changed(worker);
      return;
    }
    this.#byThreadId.set(threadId, worker);
    thread.on('message', (message: unknown) => {
      this.#pool.emit('message', message);
    });
    this.#pool.emit('workerCreate', this.#views.viewOf(worker));
    if (changed) this.#changed(worker);
  }

  /** The error piscina would reject with, for an engine error. */
  piscinaError(error: unknown): Error {
    if (error instanceof WorkerExitedError || error instanceof WorkerOutOfMemoryError) {
      // piscina rejects with the uncaught error that ended the worker, or Node's out-of-memory error.
      if (error.cause instanceof Error) {
        this.#reported.add(error.cause);
        return error.cause;
      }
      return new PiscinaWorkerExitError(error.exitCode);
    }
    if (error instanceof PoolDestroyedError) return new PiscinaTerminatedError();
    if (error instanceof TaskAbortedError) return new PiscinaAbortError(error.cause);
    return error instanceof Error ? error : new Error(String(error));
  }
}
