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
    // Tinypool forks its children with `{ ...env, TINYPOOL_WORKER_ID }`: without `env`, a child
    // starts with an empty environment. Every other library's children inherit the host's, and
    // what is in it changes how long Node takes to boot (NODE_EXTRA_CA_CERTS, NODE_OPTIONS …),
    // so tinypool's children get the same environment as everyone else's.
    ...(runtime === 'child_process' ? { env: hostEnvironment() } : {}),
  });
  return {
    run: (task, argument) => pool.run(argument, { name: task }) as Promise<unknown>,
    echoBuffer: (buffer) => pool.run(buffer, { name: 'echoBuffer', transferList: [buffer] }) as Promise<ArrayBuffer>,
    close: () => closeWithin(pool.destroy()),
  };
}

/** The host's environment variables, as tinypool's `env` option takes them. */
function hostEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}
