import type { PoolState } from './stats/snapshot.js';

export interface WorkerInfo {
  readonly threadId: number;
}

export interface WorkerExitInfo {
  readonly threadId: number;
  readonly exitCode: number;
  /**
   * Why it ended: `crash` when it ended on its own; otherwise why the pool ended it: a task's
   * `timeout` or `abort` it did not stop for, `recycle` (maxTasksPerWorker, maxHeapUsedMb), `idle`,
   * `close`, `load-failed`, `start-timeout` (not loaded within startTimeout), `unresponsive`
   * (took no task for unresponsiveTimeout while running none).
   */
  readonly reason: 'crash' | 'timeout' | 'abort' | 'recycle' | 'idle' | 'close' | 'load-failed' | 'start-timeout' | 'unresponsive';
}

/** The pool's events, a closed set: `pool.on('workerExit', (info) => ...)`. */
export interface PoolEvents {
  workerStart: [info: WorkerInfo];
  workerExit: [info: WorkerExitInfo];
  /** A worker died of an uncaught error (its tasks reject with ERR_WORKER_EXITED), or its module's `teardown` threw. */
  workerError: [info: WorkerInfo & { readonly error: Error }];
  /**
   * A submission was rejected with ERR_QUEUE_FULL (once per episode). `waiting`
   * tasks count against `maxQueue` (it has reached it); `queued` also counts
   * those that free workers are about to take, which do not.
   */
  backpressure: [info: { readonly waiting: number; readonly maxQueue: number; readonly queued: number }];
  /** The queue has room again after back-pressure. */
  drain: [];
  /** Workers fail to start: submissions fail fast with ERR_POOL_DEGRADED. */
  degraded: [info: { readonly error: Error }];
  /** A worker started again after the pool was degraded. */
  recovered: [];
  /** No task is queued or running. */
  idle: [];
  /** A caller's callback (onProgress, onEvent, closeOnSignal's beforeClose) threw; the task goes on. */
  callbackError: [info: { readonly error: Error }];
  /** The pool moved to `state`: starting → running, running ⇄ degraded, then closing → closed. */
  stateChange: [info: { readonly state: PoolState }];
}

export interface EngineEvents {
  emit<K extends keyof PoolEvents>(name: K, ...args: PoolEvents[K]): void;
  /** A worker's results were read (spindle/piscina moves its own queue on). */
  resultsRead?(): void;
}
