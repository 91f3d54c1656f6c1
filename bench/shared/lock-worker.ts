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

const run = job.variant === 'spindle' ? withSpindle : withHandWritten;
run(Math.min(job.operations, 100_000)); // warm up (optimized before the clock starts)
parentPort?.postMessage('ready');
waitAtStartLine(startLine);
const started = process.hrtime.bigint();
run(job.operations);
parentPort?.postMessage(elapsedNs(started));
