/**
 * The pool's `workerData` option, as a live binding for task modules:
 * `import { workerData } from 'spindle/worker'`. (In a thread, Node's own
 * `workerData` from `node:worker_threads` is the same value.) Set before the
 * task module loads, so it can be read at its top level.
 */
export let workerData: unknown = undefined;

/** Called once by the worker's entry, before it loads the task module. */
export function setWorkerData(value: unknown): void {
  workerData = value;
}
