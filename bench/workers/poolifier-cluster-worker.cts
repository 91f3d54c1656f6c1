/**
 * The task functions of tasks.ts for poolifier's cluster pool. A node:cluster
 * worker must be CommonJS: poolifier checks that a cluster worker is ready as
 * soon as the process is online, and an ES module's ClusterWorker, built
 * after its asynchronous load, misses that check (the pool never becomes
 * ready). It requires tasks.ts, an ES module without top-level await, as
 * Node >= 20.19 allows.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS worker (see above)
import poolifier = require('poolifier');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS worker (see above)
import tasks = require('./tasks.js');

export = new poolifier.ClusterWorker<unknown, unknown>({
  noop: (value) => tasks.noop(value as number),
  fib: (n) => tasks.fib(n as number),
  fibTimed: (n) => tasks.fibTimed(n as number),
  spin: (microseconds) => tasks.spin(microseconds as number),
  quickJob: { taskFunction: (microseconds) => tasks.spin(microseconds as number), priority: -1 },
  slowJob: { taskFunction: (microseconds) => tasks.spin(microseconds as number), priority: 1 },
});
