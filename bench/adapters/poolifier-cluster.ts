import { fileURLToPath } from 'node:url';
import { FixedClusterPool } from 'poolifier';
import { closeWithin, workerModule, type BenchPool, type PoolSettings } from './bench-pool.js';

/**
 * Poolifier's cluster pool: node:cluster workers running a ClusterWorker
 * module. The benchmark child is the cluster's primary (it is not itself a
 * cluster worker), so the pool works headless there. The IPC channel is
 * node:cluster's (JSON): a buffer comes back as a plain object, so
 * echoBuffer is not part of the process group.
 */
export function createPoolifierClusterPool(settings: PoolSettings): BenchPool {
  const pool = new FixedClusterPool<unknown, unknown>(settings.threads, fileURLToPath(workerModule('poolifier-cluster-worker.cjs')), {
    enableTasksQueue: settings.priorities,
  });
  return {
    run: (task, argument) => pool.execute(argument, task),
    echoBuffer: () => Promise.reject(new Error('poolifier-cluster: an IPC channel in JSON cannot carry an ArrayBuffer')),
    close: () => closeWithin(pool.destroy()),
  };
}
