import type { PoolDescription, PoolGroup } from './bench-pool.js';

/**
 * The pools under comparison, Spindle first in each group; each library is
 * imported only by the child that runs it. The process group runs the same
 * worker modules in child processes.
 */
export const POOLS = {
  spindle: {
    group: 'threads',
    create: async () => (await import('./spindle.js')).createSpindlePool,
    priorities: 'run(name, x, { priority: 1 }) for short tasks',
    transfer: 'transfer(buffer) both ways',
  },
  piscina: {
    group: 'threads',
    create: async () => (await import('./piscina.js')).createPiscinaPool,
    priorities: 'none built in (FIFO)',
    transfer: 'transferList, move() on return',
  },
  tinypool: {
    group: 'threads',
    create: async () => (await import('./tinypool.js')).createTinypoolPool,
    priorities: 'none built in (FIFO)',
    transfer: 'transferList, Tinypool.move() on return',
  },
  workerpool: {
    group: 'threads',
    create: async () => (await import('./workerpool.js')).createWorkerpoolPool,
    priorities: 'none (FIFO)',
    transfer: 'exec({ transfer }), new Transfer() on return',
  },
  poolifier: {
    group: 'threads',
    create: async () => (await import('./poolifier.js')).createPoolifierPool,
    priorities: 'per task function, tasks queue on (mixed only)',
    transfer: 'transferList there; results are always copied back',
  },
  'spindle-process': {
    group: 'process',
    create: async () => (await import('./spindle.js')).createSpindleProcessPool,
    runtime: "runtime: 'process' (child_process.fork, JSON IPC; V8 bytes for what JSON cannot keep)",
    priorities: 'not used (no mixed workload in this group)',
    transfer: 'copied (processes share no memory)',
  },
  'tinypool-process': {
    group: 'process',
    create: async () => (await import('./tinypool.js')).createTinypoolProcessPool,
    runtime: "runtime: 'child_process' (child_process.fork, JSON IPC, its default)",
    priorities: 'not used',
    transfer: 'copied',
  },
  'workerpool-process': {
    group: 'process',
    create: async () => (await import('./workerpool.js')).createWorkerpoolProcessPool,
    runtime: "workerType: 'process' (child_process.fork, JSON IPC)",
    priorities: 'not used',
    transfer: 'copied',
  },
  'poolifier-cluster': {
    group: 'process',
    create: async () => (await import('./poolifier-cluster.js')).createPoolifierClusterPool,
    runtime: 'FixedClusterPool + ClusterWorker (node:cluster workers, JSON IPC)',
    priorities: 'not used',
    transfer: 'none (JSON)',
  },
} as const satisfies Record<string, PoolDescription>;

export type PoolName = keyof typeof POOLS;

export const POOL_NAMES = Object.keys(POOLS) as PoolName[];

/** The pools of one group, in registry order (its Spindle first). */
export function poolsOf(group: PoolGroup): PoolName[] {
  return POOL_NAMES.filter((name) => POOLS[name].group === group);
}

/** The Spindle pool each group's ratios are taken against. */
export const SPINDLE_OF: Record<PoolGroup, PoolName> = { threads: 'spindle', process: 'spindle-process' };

export function isPoolName(name: string): name is PoolName {
  return Object.hasOwn(POOLS, name);
}
