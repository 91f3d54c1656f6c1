/**
 * Lock trials: lock/unlock in nanoseconds.
 *
 * - uncontended: one worker thread, `lockSync()` + `release()` against the
 *   hand-written lock, each around a plain increment, in alternating slices
 *   in that one thread (uncontended-worker.ts): both figures from one trial;
 * - contended: 4 worker threads on one lock, the same loop; nanoseconds per
 *   operation across all threads (wall time / operations);
 * - one thread, async: the main thread's `await mutex.lock()` + `release()`
 *   against async-mutex's `await mutex.acquire()` + `release()`.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Mutex as AsyncMutex } from 'async-mutex';
import { Mutex } from 'spindle/shared';
import type { LockWorkerData } from './lock-worker.js';
import type { UncontendedResult, UncontendedWorkerData } from './uncontended-worker.js';
import { elapsedNs, liftStartLine } from './start-line.js';

export const LOCK_VARIANTS = ['spindle', 'hand-written'] as const;
export const ASYNC_VARIANTS = ['spindle', 'async-mutex'] as const;

/** Nanoseconds per lock/unlock with `threads` worker threads sharing one lock, `operations` in all. */
export async function lockTrial(variant: (typeof LOCK_VARIANTS)[number], threads: number, operations: number): Promise<number> {
  const mutex = new Mutex();
  const counter = new SharedArrayBuffer(4);
  const startLine = new SharedArrayBuffer(4);
  const perThread = Math.floor(operations / threads);
  const workers = Array.from({ length: threads }, () => {
    const workerData: LockWorkerData = { variant, mutex: mutex.toHandle(), counter, startLine, operations: perThread };
    return new Worker(new URL('./lock-worker.js', import.meta.url), { workerData });
  });
  await Promise.all(workers.map((worker) => once(worker, 'message')));
  const warmedUp = new Int32Array(counter)[0] ?? 0;
  const results = workers.map(async (worker) => (await once(worker, 'message'))[0] as number);
  const started = process.hrtime.bigint();
  liftStartLine(new Int32Array(startLine));
  await Promise.all(results);
  const wallNs = elapsedNs(started);
  await Promise.all(workers.map((worker) => worker.terminate()));
  const counted = (new Int32Array(counter)[0] ?? 0) - warmedUp;
  if (counted !== perThread * threads) throw new Error(`lost updates: counted ${String(counted)} of ${String(perThread * threads)}`);
  return wallNs / (perThread * threads);
}

/** Nanoseconds per uncontended lock/unlock of both locks, measured together in one thread (`operations` of each in all). */
export async function uncontendedTrial(operations: number): Promise<UncontendedResult> {
  const slices = 40;
  const workerData: UncontendedWorkerData = { mutex: new Mutex().toHandle(), handWritten: new SharedArrayBuffer(8), counter: new SharedArrayBuffer(4), slices, slice: Math.max(1, Math.round(operations / slices)) };
  const worker = new Worker(new URL('./uncontended-worker.js', import.meta.url), { workerData });
  const [result] = (await once(worker, 'message')) as [UncontendedResult];
  await worker.terminate();
  return result;
}

/** Nanoseconds per lock/unlock on the main thread, awaiting each acquire. */
export async function asyncTrial(variant: (typeof ASYNC_VARIANTS)[number], operations: number): Promise<number> {
  let count = 0;
  const spindle = new Mutex();
  const asyncMutex = new AsyncMutex();
  const run = async (steps: number): Promise<void> => {
    if (variant === 'spindle') {
      for (let step = 0; step < steps; step++) {
        const hold = await spindle.lock();
        count++;
        hold.release();
      }
    } else {
      for (let step = 0; step < steps; step++) {
        const release = await asyncMutex.acquire();
        count++;
        release();
      }
    }
  };
  await run(Math.min(operations, 100_000));
  const started = process.hrtime.bigint();
  await run(operations);
  const ns = elapsedNs(started) / operations;
  if (count !== operations + Math.min(operations, 100_000)) throw new Error('miscounted');
  return ns;
}
