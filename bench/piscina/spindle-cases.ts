import { Pool } from 'spindle';
import type * as AddTask from './add-task.js';
import type { CaseCollector } from './suite.js';

/** Each piscina benchmark group (piscina's `--scope`) and the cases its files add, for Spindle's own counterparts. */
export const GROUPS = {
  simple: ['simple/default', 'simple/customized'],
  'simple:async': ['simple/async/default', 'simple/async/customized'],
  queue: ['queue/array', 'queue/fixed'],
  startup: ['startup/default'],
} as const satisfies Record<string, readonly string[]>;
export type GroupName = keyof typeof GROUPS;

export function isGroupName(name: string): name is GroupName {
  return Object.hasOwn(GROUPS, name);
}

const addTask = new URL('./add-task.js', import.meta.url);

/**
 * The same work on Spindle's own `Pool` with its default options: one
 * `await pool.run('add', { a: 1, b: 2 })` at a time, a pool per case as
 * piscina's files create one per case (their options, `atomics`, the queue
 * class, `concurrentTasksPerWorker`, have no counterpart to set), and for
 * startup a new pool per call. Each pool it creates joins `created`.
 */
export function addSpindleCases(suite: CaseCollector, group: GroupName, created: Pool<typeof AddTask>[]): void {
  const newPool = (): Pool<typeof AddTask> => {
    const pool = new Pool<typeof AddTask>(addTask);
    created.push(pool);
    return pool;
  };
  for (const name of GROUPS[group]) {
    if (group === 'startup') {
      suite.add(name, { maxTime: 1 }, async () => {
        await newPool().run('add', { a: 1, b: 2 });
      });
    } else {
      const pool = newPool();
      suite.add(name, { maxTime: 1 }, async () => {
        await pool.run('add', { a: 1, b: 2 });
      });
    }
  }
}
