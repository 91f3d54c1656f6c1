/**
 * What the fleet tests share: a node (a pool serving a queue) in this
 * process, a QueuePool on the same queue, and a fresh queue name per test so
 * that tests on one Redis never see each other's jobs.
 */
import { randomUUID } from 'node:crypto';
import { Pool, type PoolOptions } from 'spindle';
import { QueuePool, serveQueue, type QueuePoolOptions, type ServeQueueOptions, type ServedQueue } from 'spindle/bullmq';

export type FleetTasks = typeof import('../fixtures/bullmq/tasks.js');
export const fleetTasks = new URL('../fixtures/bullmq/tasks.js', import.meta.url);

export const uniqueQueue = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

export interface LocalNode {
  readonly pool: Pool<FleetTasks>;
  readonly served: ServedQueue;
}

/** A pool serving `queue`, ready to take jobs. */
export async function startNode(redisUrl: string, queue: string, options: Partial<ServeQueueOptions> = {}, poolOptions: PoolOptions = { threads: 2 }): Promise<LocalNode> {
  const pool = new Pool<FleetTasks>(fleetTasks, poolOptions);
  const served = serveQueue(pool, { queue, connection: redisUrl, ...options });
  await served.ready;
  return { pool, served };
}

export async function openQueuePool(redisUrl: string, queue: string, options: Partial<QueuePoolOptions> = {}): Promise<QueuePool<FleetTasks>> {
  const fleet = new QueuePool<FleetTasks>({ queue, connection: redisUrl, ...options });
  await fleet.ready;
  return fleet;
}
