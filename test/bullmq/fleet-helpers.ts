/**
 * What the fleet tests share: a node (a pool serving a queue) in this
 * process, a QueuePool on the same queue, a fresh queue name per test so
 * that tests on one Redis never see each other's jobs, and the clean-up of
 * whatever a test opened, even when an assertion fails half-way.
 */
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { Pool, type PoolOptions } from 'spindle';
import { QueuePool, serveQueue, type QueuePoolOptions, type ServeQueueOptions, type ServedQueue } from 'spindle/bullmq';

import { startRedisServer, type RedisServer } from './redis-server.js';

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

/**
 * A real redis-server for the tests of one suite (call it in the `describe` body): started before
 * them; after them every node and pool they opened is closed, then the server is stopped.
 * Read `url` inside tests and hooks, once the server has started.
 */
export function redisForThisSuite(): { readonly url: string } {
  let server: RedisServer | undefined;
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await closeEverything();
    await server?.stop();
  });
  return {
    get url(): string {
      if (server === undefined) throw new Error('redis-server has not started yet: read its url inside a test or hook');
      return server.url;
    },
  };
}
