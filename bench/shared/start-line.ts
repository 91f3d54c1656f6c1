/**
 * A start line for the threads of one trial: each waits (blocking) until the
 * main thread lifts it, so that every thread is loaded and warm before the
 * clock starts.
 */
export const START = 0;

export function waitAtStartLine(line: Int32Array): void {
  while (Atomics.load(line, START) === 0) Atomics.wait(line, START, 0, 100);
}

export function liftStartLine(line: Int32Array): void {
  Atomics.store(line, START, 1);
  Atomics.notify(line, START);
}

/** Nanoseconds between two `process.hrtime.bigint()` readings, as a number. */
export const elapsedNs = (from: bigint): number => Number(process.hrtime.bigint() - from);

/**
 * As waitAtStartLine, but polling instead of sleeping: a thread that sleeps
 * at the line is woken by the main thread's notify, and Linux tends to wake
 * it on the waker's core, beside the other end of the trial, for the first
 * part of the run; threads that poll are already running on cores of their own.
 */
export function spinAtStartLine(line: Int32Array): void {
  while (Atomics.load(line, START) === 0);
}
