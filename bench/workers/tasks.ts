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

/**
 * fib(n), and how long it took in the worker (ms): the cpu workload adds these
 * up to tell how much of the workers' time went to tasks.
 */
export function fibTimed(n: number): [value: number, ms: number] {
  const started = performance.now();
  const value = fib(n);
  return [value, performance.now() - started];
}

/** Busy-waits `microseconds` (a task of known length that holds its thread). */
export function spin(microseconds: number): number {
  const until = performance.now() + microseconds / 1000;
  let turns = 0;
  while (performance.now() < until) turns++;
  return turns;
}
