import type { ResourceLimits } from 'node:worker_threads';
import type { Permissions } from '../runtime/permissions.js';

/** Options of `new Pool(module, options)`. Every option is optional. */
export interface PoolOptions {
  /**
   * Number of worker threads: a fixed count, or `{ min, max }` for a pool that
   * grows under queue pressure and retires idle workers after `idleTimeout`.
   * At most `threadLimit`.
   * @default the `SPINDLE_THREADS` environment variable if set (a supervisor such as `spindle/cluster` sets it), else `Math.max(1, os.availableParallelism() - 1)`
   * @example { threads: 4 } or { threads: { min: 0, max: 8 } }
   */
  readonly threads?: number | { readonly min?: number; readonly max?: number };
  /**
   * The most workers `threads` may ask for: a guard against a typo such as
   * `threads: 10000`, which would need tens of gigabytes (each worker is a V8
   * isolate of its own). Raise it when you mean it.
   * @default Math.max(16, 4 * os.availableParallelism())
   */
  readonly threadLimit?: number;
  /**
   * Milliseconds a worker may take to load the task module. Past it, the load
   * counts as failed: the worker is ended, `pool.ready` rejects with
   * `ERR_WORKER_START_FAILED` naming the module, and the pool is degraded
   * while it retries with back-off.
   * @default 30_000
   */
  readonly startTimeout?: number;
  /**
   * Milliseconds a worker that runs no task may leave tasks it was sent
   * unstarted (or unanswered) before it counts as unresponsive: its event
   * loop is blocked outside any task, or it no longer reads its messages.
   * Its tasks are taken back to run elsewhere (none can start twice) and it
   * is replaced.
   * @default 3_000
   */
  readonly unresponsiveTimeout?: number;
  /**
   * Milliseconds an idle worker above `min` lives before it is retired.
   * @default 30_000
   */
  readonly idleTimeout?: number;
  /**
   * Most tasks waiting in the queue; past it `run()` rejects at once with
   * `ERR_QUEUE_FULL` and the pool emits `backpressure`. A task that an idle
   * worker takes at once does not wait, so `maxQueue: 0` means "run now or reject".
   * @default Infinity
   */
  readonly maxQueue?: number;
  /**
   * Default run-time limit of a task in milliseconds, counted from the moment
   * it starts running. On expiry the task rejects with `ERR_TASK_TIMEOUT`.
   * @default undefined (no limit)
   */
  readonly timeout?: number;
  /**
   * Default limit in milliseconds on how long a task may wait in the queue
   * before it starts; on expiry it rejects with `ERR_QUEUE_TIMEOUT`.
   * @default undefined (no limit)
   */
  readonly queueTimeout?: number;
  /**
   * Default number of extra attempts for a task whose worker died or which
   * timed out. Errors thrown by the task itself are not retried unless
   * `retryOn` says so.
   * @default 0
   */
  readonly retries?: number;
  /**
   * Decides whether a failed attempt is retried (while retries remain).
   * @default retry on ERR_WORKER_EXITED, ERR_WORKER_OUT_OF_MEMORY and ERR_TASK_TIMEOUT only
   */
  readonly retryOn?: (error: Error) => boolean;
  /**
   * Milliseconds a running task has to stop by itself after it is aborted or
   * times out, before its worker is ended and replaced.
   * @default 100
   */
  readonly abortGrace?: number;
  /**
   * How many tasks one worker runs at once when they are asynchronous: while
   * a task awaits (native image or compression work, crypto, I/O), its worker
   * starts the next one, up to this many, and answers each as it finishes.
   * For tasks that wait rather than compute; a synchronous task still holds
   * its thread until it returns. With more than 1, each worker is sent at
   * most this many tasks (no deeper batching). When a worker dies, the tasks
   * it had started fail (or are retried) and those it had not run elsewhere,
   * exactly as with one at a time. `runtime: 'thread'` only.
   * @default 1
   */
  readonly asyncTasksPerWorker?: number;
  /**
   * Replace a worker after it has run this many tasks.
   * @default Infinity
   */
  readonly maxTasksPerWorker?: number;
  /**
   * Replace a worker when its JavaScript heap exceeds this many megabytes
   * after a task. The task itself succeeds.
   * @default undefined (no limit)
   */
  readonly maxHeapUsedMb?: number;
  /** V8 heap limits of each worker, as in `new Worker()`. */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Environment of the workers: an object to use as is, or a list of variable
   * names to copy from `process.env`.
   * @default a copy of process.env (Node's default)
   */
  readonly env?: Readonly<Record<string, string>> | readonly string[];
  /**
   * Node flags of each worker; a function receives the worker's index, e.g.
   * to give each worker its own inspector port.
   * @default process.execArgv
   */
  readonly execArgv?: readonly string[] | ((workerIndex: number) => readonly string[]);
  /**
   * Any value structured clone can copy, given to every worker: `workerData`
   * from `node:worker_threads` (or from `spindle/worker`) in the task module,
   * and the `workerData` of its `setup(context)` export. Checked when the
   * pool is created.
   * @default undefined
   */
  readonly workerData?: unknown;
  /**
   * Where tasks run. `'thread'`: worker threads in this process, the fastest.
   * `'process'`: child processes, one per worker, so that a native crash,
   * `process.abort()` or a fatal V8 error in a task ends only its worker, and
   * so that `permissions` can fence task code in. Same API; what differs is
   * listed in docs/isolation.md.
   * @default 'thread'
   */
  readonly runtime?: 'thread' | 'process';
  /**
   * Node's permission model for process workers (`runtime: 'process'` only):
   * what task code may read, write and start. A task that reaches past it
   * fails with Node's `ERR_ACCESS_DENIED`. See docs/isolation.md for what it
   * does and does not protect against.
   * @default undefined (no restriction)
   */
  readonly permissions?: Permissions;
  /** Name shown for the workers in debuggers and heap snapshots. @default 'spindle' */
  readonly name?: string;
  /**
   * Microseconds a thread keeps polling instead of sleeping when the next
   * message is likely to come soon: a worker that has just run out of tasks,
   * and the pool's event loop while short tasks are out. Waking a sleeping
   * thread costs 5 to 70 µs, more than a short task; polling trades that for
   * at most this much CPU time per idle spell. 0 turns it off. A process
   * worker (`runtime: 'process'`) keeps its event loop turning instead, and
   * polls longer by default: its answer first has to wake the pool's
   * process (docs/isolation.md).
   * @default 50 with runtime 'thread', 200 with runtime 'process'
   */
  readonly busyPollUs?: number;
}
