/**
 * Each worker shares one SharedArrayBuffer with the pool, read and written
 * without any message. It holds a few Int32 slots, the start time of the
 * running task, and the result log (./result-log.ts):
 *
 *   bytes 0-31   Int32 slots
 *     [0] CURRENT_SEQ  (worker writes) sequence number of the task running now, or run last
 *     [1] ABORT_SEQ    (pool writes) sequence number of a task to stop; the worker's
 *                      throwIfAborted() reads it, so even a synchronous loop can
 *                      notice cancellation
 *     [2] BUSY         (worker writes) the number of tasks running: 1 while a task runs,
 *                      0 between tasks (more with asyncTasksPerWorker)
 *     [3] CLAIMED_SEQ  (both, compare-and-swap only) every task with a sequence number
 *                      up to this one is decided: the worker started it, or the pool
 *                      took it back. See "Claims" below.
 *     [4] LOG_COUNT    (worker writes) results in the result log
 *     [5] LOG_BYTES    (worker writes) bytes of the result log in use
 *   bytes 32-39  Float64 STARTED_AT: Date.now() when CURRENT_SEQ started
 *   bytes 64-    the result log
 *   then, for a worker that runs several asynchronous tasks at once
 *   (asyncTasksPerWorker = K > 1), the start table: L = startTableLength(K)
 *   Float64 entries; entry `seq % L` holds Date.now() when task `seq`
 *   started, and 0 once it finished. The pool sends task `seq` only while
 *   its oldest unanswered task there is younger than `seq - L`, so an entry
 *   is reused only after the pool has the answer of its previous task.
 *   CURRENT_SEQ and STARTED_AT then describe the task started last, and
 *   BUSY counts the tasks running.
 *
 * Claims. Tasks reach a worker in sequence order and it takes them in that
 * order. Before it starts task `s` it moves CLAIMED_SEQ from `s - 1` to `s`
 * with Atomics.compareExchange. To take back the tasks a worker has not
 * started (it is stuck behind a slow call, a task's queue time ran out, the
 * worker stopped listening), the pool moves CLAIMED_SEQ from `c` to the last
 * sequence number it sent, also with compareExchange. Exactly one of the two
 * exchanges succeeds for any task, so a task taken back never also runs in
 * the worker, and a task the worker started is never taken back:
 *
 *   worker:  CAS(s-1 → s) ok        → runs s
 *            CAS(s-1 → s) fails, v  → the pool took every task up to v: skip them
 *   pool:    CAS(c → last) ok       → tasks c+1 … last are the pool's to run elsewhere
 *            CAS(c → last) fails    → the worker moved on: read c again and retry
 */
export const CURRENT_SEQ = 0;
export const ABORT_SEQ = 1;
export const BUSY = 2;
export const CLAIMED_SEQ = 3;
export const LOG_COUNT = 4;
export const LOG_BYTES = 5;
/** Index of STARTED_AT in a Float64Array over the same buffer (bytes 32-39). */
export const STARTED_AT_FLOAT_INDEX = 4;
/** Where the result log starts, in bytes. */
export const LOG_OFFSET = 64;
/** Bytes of the result log: results held back for batching must fit, or are sent at once. */
export const LOG_CAPACITY = 64 * 1024;
export const SHARED_STATE_BYTES = LOG_OFFSET + LOG_CAPACITY;
/** Where the start table starts, in bytes (a multiple of 8). */
export const START_TABLE_OFFSET = SHARED_STATE_BYTES;

/**
 * Entries of the start table of a worker that runs `asyncTasksPerWorker`
 * tasks at once (0: it has none). Longer than that count, so that tasks keep
 * flowing past one slow task: the pool sends no task whose entry is still the
 * slow one's.
 */
export function startTableLength(asyncTasksPerWorker: number): number {
  return asyncTasksPerWorker > 1 ? Math.max(256, 8 * asyncTasksPerWorker) : 0;
}

/** Bytes of a worker's shared state: the start table only for a worker that runs several tasks at once. */
export function sharedStateBytes(asyncTasksPerWorker: number): number {
  return START_TABLE_OFFSET + 8 * startTableLength(asyncTasksPerWorker);
}
