/** The fleet benchmark's tasks: a tiny one (the Redis round trips are the whole cost) and a CPU-bound one. */
export function square(n: number): number {
  return n * n;
}

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
