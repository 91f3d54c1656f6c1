import { Pool } from 'spindle';
import type { DemoTasks, TaskRunner } from './task-runner.js';

export interface PooledRunnerOptions {
  /** Worker threads. @default Spindle's default, one less than the cores (at least 1) */
  readonly threads?: number;
  /** Tasks that may wait for a worker before requests are shed with 503. */
  readonly maxQueue: number;
}

const tasksModule = new URL('../tasks.js', import.meta.url);

/** Runs the demo's tasks in a Spindle pool. */
export function createPooledRunner(options: PooledRunnerOptions): TaskRunner {
  const pool = new Pool<DemoTasks>(tasksModule, {
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    maxQueue: options.maxQueue,
    name: 'spindle-demo',
  });
  return {
    mode: 'pooled',
    pool,
    ready: pool.ready,
    run: (name, ...rest) => pool.run(name, ...rest),
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}
