/**
 * Each worker shares a small SharedArrayBuffer with the pool, read and
 * written without any message:
 *
 *   Int32 [0] CURRENT_SEQ   (worker writes) dispatch sequence number of the task now running
 *                           (tasks reach a worker in sequence order, so every
 *                           task with a lower number has already run)
 *   Int32 [1] ABORT_SEQ     (pool writes) sequence number of a task to stop; the worker's
 *                           throwIfAborted() reads it, so even a synchronous
 *                           loop can notice cancellation
 *   Int32 [2] BUSY          1 while a task runs, 0 between tasks
 *   Float64 [2] STARTED_AT  Date.now() when CURRENT_SEQ started (bytes 16-23)
 */
export const CURRENT_SEQ = 0;
export const ABORT_SEQ = 1;
export const BUSY = 2;
export const STARTED_AT_FLOAT_INDEX = 2;
export const SHARED_STATE_BYTES = 32;
