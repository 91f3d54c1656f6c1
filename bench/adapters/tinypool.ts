import { Tinypool } from 'tinypool';
import { closeWithin, workerModule, type BenchPool, type PoolSettings } from './bench-pool.js';

export function createTinypoolPool(settings: PoolSettings): BenchPool {
  const pool = new Tinypool({
    filename: workerModule('tinypool-worker.js').href,
    minThreads: settings.threads,
    maxThreads: settings.threads,
  });
  return {
    run: (task, argument) => pool.run(argument, { name: task }) as Promise<unknown>,
    echoBuffer: (buffer) => pool.run(buffer, { name: 'echoBuffer', transferList: [buffer] }) as Promise<ArrayBuffer>,
    close: () => closeWithin(pool.destroy()),
  };
}
