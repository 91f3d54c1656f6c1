import { isMainThread, workerData as threadWorkerData } from 'node:worker_threads';
import { WORKER_MARKER } from './symbols.js';

/** Whether this code runs in a worker of a spindle/piscina pool (not the main thread, not a Worker of your own). */
export function inPoolWorker(): boolean {
  return !isMainThread && (globalThis as Record<symbol, unknown>)[WORKER_MARKER] === true;
}

/** The pool's `workerData` inside its workers; undefined elsewhere. */
export function poolWorkerData(): unknown {
  return inPoolWorker() ? (threadWorkerData as unknown) : undefined;
}
