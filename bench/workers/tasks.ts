/**
 * The task bodies every pool runs. Each library's worker module wraps these
 * same functions in that library's convention, so all pools do identical work.
 */

/** A tiny task: the cost measured is the pool's, not the task's. */
export function noop(value: number): number {
  return value + 1;
}

/** Naive Fibonacci: pure CPU work with no allocation. */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** Busy-waits `microseconds` (a task of known length that holds its thread). */
export function spin(microseconds: number): number {
  const until = performance.now() + microseconds / 1000;
  let turns = 0;
  while (performance.now() < until) turns++;
  return turns;
}
