import { Tinypool } from 'tinypool';
import { closeWithin, workerModule, type BenchPool, type PoolSettings } from './bench-pool.js';

export function createTinypoolPool(settings: PoolSettings): BenchPool {
  return tinypoolPool(settings, 'worker_threads');
}

/** Tinypool's `runtime: 'child_process'`: the same worker module, each worker a child process. */
export function createTinypoolProcessPool(settings: PoolSettings): BenchPool {
  return tinypoolPool(settings, 'child_process');
}

function tinypoolPool(settings: PoolSettings, runtime: 'worker_threads' | 'child_process'): BenchPool {
  const pool = new Tinypool({
    filename: workerModule('tinypool-worker.js').href,
    minThreads: settings.threads,
    maxThreads: settings.threads,
    runtime,
  });
  return {
    run: (task, argument) => pool.run(argument, { name: task }) as Promise<unknown>,
    echoBuffer: (buffer) => pool.run(buffer, { name: 'echoBuffer', transferList: [buffer] }) as Promise<ArrayBuffer>,
    close: () => closeWithin(pool.destroy()),
  };
}
