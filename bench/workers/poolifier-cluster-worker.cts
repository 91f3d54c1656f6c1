/**
 * The task functions of tasks.ts for poolifier's cluster pool. A node:cluster
 * worker must be CommonJS: poolifier checks that a cluster worker is ready as
 * soon as the process is online, and an ES module's ClusterWorker, built
 * after its asynchronous load, misses that check (the pool never becomes
 * ready). CommonJS cannot require tasks.ts (an ES module) on Node 20, so the
 * four bodies are repeated here, unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS worker (see above)
import poolifier = require('poolifier');

function noop(value: number): number {
  return value + 1;
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function fibTimed(n: number): [value: number, ms: number] {
  const started = performance.now();
  const value = fib(n);
  return [value, performance.now() - started];
}

function spin(microseconds: number): number {
  const until = performance.now() + microseconds / 1000;
  let turns = 0;
  while (performance.now() < until) turns++;
  return turns;
}

export = new poolifier.ClusterWorker<unknown, unknown>({
  noop: (value) => noop(value as number),
  fib: (n) => fib(n as number),
  fibTimed: (n) => fibTimed(n as number),
  spin: (microseconds) => spin(microseconds as number),
  quickJob: { taskFunction: (microseconds) => spin(microseconds as number), priority: -1 },
  slowJob: { taskFunction: (microseconds) => spin(microseconds as number), priority: 1 },
});
