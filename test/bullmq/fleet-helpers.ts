/**
 * What the fleet tests share: a node (a pool serving a queue) in this
 * process, a QueuePool on the same queue, a fresh queue name per test so
 * that tests on one Redis never see each other's jobs, and the clean-up of
 * whatever a test opened, even when an assertion fails half-way.
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

const opened: (() => Promise<unknown>)[] = [];

/** Closes every node and QueuePool the tests opened (in `after`, before Redis stops). */
export async function closeEverything(): Promise<void> {
  await Promise.allSettled(opened.splice(0).map((close) => close()));
}

/** A pool serving `queue`, ready to take jobs. */
export async function startNode(redisUrl: string, queue: string, options: Partial<ServeQueueOptions> = {}, poolOptions: PoolOptions = { threads: 2 }): Promise<LocalNode> {
  const pool = new Pool<FleetTasks>(fleetTasks, poolOptions);
  const served = serveQueue(pool, { queue, connection: redisUrl, ...options });
  opened.push(() => served.close({ timeout: 2_000 }));
  await served.ready;
  return { pool, served };
}

export async function openQueuePool(redisUrl: string, queue: string, options: Partial<QueuePoolOptions> = {}): Promise<QueuePool<FleetTasks>> {
  const fleet = new QueuePool<FleetTasks>({ queue, connection: redisUrl, ...options });
  opened.push(() => fleet.close({ timeout: 2_000 }));
  await fleet.ready;
  return fleet;
}

/** Waits until `condition` resolves true, polling; fails after `timeoutMs`. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
