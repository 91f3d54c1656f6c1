import type { Pool, PoolStats, RunArguments, TaskName, TaskResult } from 'spindle';

/** The demo's task module, as the pool sees it. */
export type DemoTasks = typeof import('../tasks.js');
export type DemoTaskName = TaskName<DemoTasks>;

export type ExecutionMode = 'pooled' | 'inline' | 'fleet';

/**
 * Where the routes send their CPU-heavy work: a Spindle pool, or (with
 * `--inline`) the same task functions called on the event loop. Both take
 * exactly what `pool.run()` takes.
 */
export interface TaskRunner {
  readonly mode: ExecutionMode;
  run<K extends DemoTaskName>(name: K, ...[argument, options]: RunArguments<DemoTasks, K>): Promise<TaskResult<DemoTasks, K>>;
  /** The pool; undefined when the work runs inline. */
  readonly pool: Pool<DemoTasks> | undefined;
  /** The pool's statistics; undefined when the work runs inline. */
  stats(): PoolStats | undefined;
  readonly ready: Promise<void>;
  close(): Promise<void>;
}
