/** A thread of a lock trial (bench/shared/lock-trials.ts): lock, bump a plain counter, unlock, `operations` times. */
import { parentPort, workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from 'spindle/shared';
import { HandWrittenLock } from './hand-written-lock.js';
import { elapsedNs, waitAtStartLine } from './start-line.js';

export interface LockWorkerData {
  readonly variant: 'spindle' | 'hand-written';
  readonly mutex: MutexHandle;
  readonly counter: SharedArrayBuffer;
  readonly startLine: SharedArrayBuffer;
  readonly operations: number;
}

/** The run is timed in this many slices as well as whole. */
const SLICES = 20;
const job = workerData as LockWorkerData;
const counter = new Int32Array(job.counter);
const startLine = new Int32Array(job.startLine);

function withSpindle(operations: number): void {
  const mutex = Mutex.from(job.mutex);
  for (let step = 0; step < operations; step++) {
    const hold = mutex.lockSync();
    counter[0] = (counter[0] ?? 0) + 1;
    hold.release();
  }
}

function withHandWritten(operations: number): void {
  const lock = new HandWrittenLock(job.mutex.buffer);
  for (let step = 0; step < operations; step++) {
    lock.lock();
    counter[0] = (counter[0] ?? 0) + 1;
    lock.unlock();
  }
}

/** What a thread reports: its whole run, and its fastest slice (the one a shared machine disturbed least). */
export interface LockWorkerResult {
  readonly ns: number;
  readonly fastestSliceNsPerOperation: number;
}

const run = job.variant === 'spindle' ? withSpindle : withHandWritten;
run(Math.min(job.operations, 100_000)); // warm up (optimized before the clock starts)
parentPort?.postMessage('ready');
waitAtStartLine(startLine);
const started = process.hrtime.bigint();
const slice = Math.ceil(job.operations / SLICES);
let fastest = Infinity;
for (let done = 0; done < job.operations; done += slice) {
  const operations = Math.min(slice, job.operations - done);
  const sliceStarted = process.hrtime.bigint();
  run(operations);
  fastest = Math.min(fastest, elapsedNs(sliceStarted) / operations);
}
const result: LockWorkerResult = { ns: elapsedNs(started), fastestSliceNsPerOperation: fastest };
parentPort?.postMessage(result);
