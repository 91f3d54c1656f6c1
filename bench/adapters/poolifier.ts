import { fileURLToPath } from 'node:url';
import { FixedThreadPool } from 'poolifier';
import { closeWithin, workerModule, type BenchPool, type PoolSettings } from './bench-pool.js';

export function createPoolifierPool(settings: PoolSettings): BenchPool {
  // Poolifier's priorities (per task function) only act through its tasks queue.
  const pool = new FixedThreadPool<unknown, unknown>(settings.threads, fileURLToPath(workerModule('poolifier-worker.js')), {
    enableTasksQueue: settings.priorities,
  });
  return {
    run: (task, argument) => pool.execute(argument, task),
    echoBuffer: (buffer) => pool.execute(buffer, 'echoBuffer', undefined, [buffer]) as Promise<ArrayBuffer>,
    close: () => closeWithin(pool.destroy()),
  };
}
