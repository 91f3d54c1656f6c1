import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';
import { closeWithin, workerModule, type BenchPool, type PoolSettings } from './bench-pool.js';

export function createWorkerpoolPool(settings: PoolSettings): BenchPool {
  return workerpoolPool(settings, 'thread');
}

/** workerpool's `workerType: 'process'`: the same worker module, each worker a child process. */
export function createWorkerpoolProcessPool(settings: PoolSettings): BenchPool {
  return workerpoolPool(settings, 'process');
}

function workerpoolPool(settings: PoolSettings, workerType: 'thread' | 'process'): BenchPool {
  const pool = workerpool.pool(fileURLToPath(workerModule('workerpool-worker.js')), {
    minWorkers: settings.threads,
    maxWorkers: settings.threads,
    workerType,
  });
  return {
    run: (task, argument) => Promise.resolve(pool.exec(task, [argument])),
    echoBuffer: (buffer) => Promise.resolve(pool.exec('echoBuffer', [buffer], { transfer: [buffer] }) as PromiseLike<ArrayBuffer>),
    close: async () => {
      await closeWithin(Promise.resolve(pool.terminate(true)));
    },
  };
}
