import { transfer } from 'spindle/worker';
import { spin } from './tasks.js';

export { noop, fib, fibTimed, spin } from './tasks.js';

/** A short job of the mixed workload (its own name, so its run-time estimate is its own). */
export function quickJob(microseconds: number): number {
  return spin(microseconds);
}

/** A long job of the mixed workload. */
export function slowJob(microseconds: number): number {
  return spin(microseconds);
}

/** Sends the buffer straight back, moved rather than copied. */
export function echoBuffer(buffer: ArrayBuffer): ReturnType<typeof transfer<ArrayBuffer>> {
  return transfer(buffer);
}
