import { Pool, transfer } from 'spindle';
import type * as SpindleWorker from '../workers/spindle-worker.js';
import { closeWithin, workerModule, type BenchPool, type PoolSettings } from './bench-pool.js';

export function createSpindlePool(settings: PoolSettings): BenchPool {
  return spindlePool(settings, 'thread');
}

/** Spindle with `runtime: 'process'`: the same worker module, each worker a child process. */
export function createSpindleProcessPool(settings: PoolSettings): BenchPool {
  return spindlePool(settings, 'process');
}

function spindlePool(settings: PoolSettings, runtime: 'thread' | 'process'): BenchPool {
  const pool = new Pool<typeof SpindleWorker>(workerModule('spindle-worker.js'), { threads: settings.threads, runtime });
  return {
    run: (task, argument, urgent = false) => pool.run(task, argument, urgent ? { priority: 1 } : {}),
    echoBuffer: (buffer) => pool.run('echoBuffer', transfer(buffer)),
    close: () => closeWithin(pool.destroy()),
  };
}
