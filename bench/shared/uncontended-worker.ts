/**
 * The uncontended lock trial (bench/shared/lock-trials.ts), in one worker
 * thread: Spindle's `lockSync()` + `release()` and the hand-written lock,
 * each around a plain increment, in alternating slices of `slice`
 * operations, `slices` of each. Both run under the same load at nearly the
 * same moment, and the fastest slice of each counts: the cost of the path
 * itself, the one a machine shared with other jobs disturbed least.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from 'spindle/shared';
import { HandWrittenLock } from './hand-written-lock.js';
import { elapsedNs } from './start-line.js';

export interface UncontendedWorkerData {
  readonly mutex: MutexHandle;
  /** The hand-written lock's own word. */
  readonly handWritten: SharedArrayBuffer;
  readonly counter: SharedArrayBuffer;
  readonly slices: number;
  readonly slice: number;
}

/** Nanoseconds per lock/unlock in the fastest slice of each. */
export type UncontendedResult = Readonly<Record<'spindle' | 'hand-written', number>>;

const job = workerData as UncontendedWorkerData;
const counter = new Int32Array(job.counter);
const mutex = Mutex.from(job.mutex);
const lock = new HandWrittenLock(job.handWritten);

function withSpindle(operations: number): void {
  for (let step = 0; step < operations; step++) {
    const hold = mutex.lockSync();
    counter[0] = (counter[0] ?? 0) + 1;
    hold.release();
  }
}

function withHandWritten(operations: number): void {
  for (let step = 0; step < operations; step++) {
    lock.lock();
    counter[0] = (counter[0] ?? 0) + 1;
    lock.unlock();
  }
}

/** Nanoseconds per operation of one slice. */
function timed(run: (operations: number) => void): number {
  const started = process.hrtime.bigint();
  run(job.slice);
  return elapsedNs(started) / job.slice;
}

// Warm up both (optimized before the clock starts).
withSpindle(100_000);
withHandWritten(100_000);
let spindle = Infinity;
let handWritten = Infinity;
for (let round = 0; round < job.slices; round++) {
  // Alternate which goes first, so neither always follows the other.
  if (round % 2 === 0) {
    spindle = Math.min(spindle, timed(withSpindle));
    handWritten = Math.min(handWritten, timed(withHandWritten));
  } else {
    handWritten = Math.min(handWritten, timed(withHandWritten));
    spindle = Math.min(spindle, timed(withSpindle));
  }
}
const result: UncontendedResult = { spindle, 'hand-written': handWritten };
parentPort?.postMessage(result);
