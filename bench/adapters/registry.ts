import type { PoolDescription } from './bench-pool.js';

/** The pools under comparison, Spindle first; each library is imported only by the child that runs it. */
export const POOLS = {
  spindle: {
    create: async () => (await import('./spindle.js')).createSpindlePool,
    priorities: 'run(name, x, { priority: 1 }) for short tasks',
    transfer: 'transfer(buffer) both ways',
  },
  piscina: {
    create: async () => (await import('./piscina.js')).createPiscinaPool,
    priorities: 'none built in (FIFO)',
    transfer: 'transferList, move() on return',
  },
  tinypool: {
    create: async () => (await import('./tinypool.js')).createTinypoolPool,
    priorities: 'none built in (FIFO)',
    transfer: 'transferList, Tinypool.move() on return',
  },
  workerpool: {
    create: async () => (await import('./workerpool.js')).createWorkerpoolPool,
    priorities: 'none (FIFO)',
    transfer: 'exec({ transfer }), new Transfer() on return',
  },
  poolifier: {
    create: async () => (await import('./poolifier.js')).createPoolifierPool,
    priorities: 'per task function, tasks queue on (mixed only)',
    transfer: 'transferList there; results are always copied back',
  },
} as const satisfies Record<string, PoolDescription>;

export type PoolName = keyof typeof POOLS;

export const POOL_NAMES = Object.keys(POOLS) as PoolName[];

export function isPoolName(name: string): name is PoolName {
  return Object.hasOwn(POOLS, name);
}
