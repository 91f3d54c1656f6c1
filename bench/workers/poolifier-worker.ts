import { ThreadWorker } from 'poolifier';
import { fib, fibTimed, noop, spin } from './tasks.js';

/**
 * Poolifier's task functions take the task's data. Its priorities belong to
 * task functions (lower is more urgent) and apply when the pool's tasks queue
 * is on. A ThreadWorker cannot transfer a result: echoBuffer's reply is copied.
 */
export default new ThreadWorker<unknown, unknown>({
  noop: (value) => noop(value as number),
  fib: (n) => fib(n as number),
  fibTimed: (n) => fibTimed(n as number),
  spin: (microseconds) => spin(microseconds as number),
  quickJob: { taskFunction: (microseconds) => spin(microseconds as number), priority: -1 },
  slowJob: { taskFunction: (microseconds) => spin(microseconds as number), priority: 1 },
  echoBuffer: (buffer) => buffer,
});
