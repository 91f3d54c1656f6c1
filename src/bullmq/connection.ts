/**
 * Where the fleet's Redis is: a URL, ioredis options, or an ioredis client.
 * BullMQ opens the connections it needs from it; the cancellation channel
 * opens one more of its own (see cancel-channel.ts).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import { invalidOption } from './validation.js';

/**
 * A Redis to use: `'redis://127.0.0.1:6379'` (or `rediss://`), ioredis
 * options (`{ host, port, password, … }`, optionally with a `url`), or an
 * ioredis `Redis` client, which BullMQ shares and duplicates as it needs
 * (create it with `maxRetriesPerRequest: null`). From a URL or options,
 * `maxRetriesPerRequest` defaults to `null`: a command waits for Redis to
 * come back instead of failing after 20 reconnection attempts.
 */
export type FleetConnection = string | (RedisOptions & { readonly url?: string }) | Redis;

/** What BullMQ's `connection` option gets. */
export function bullmqConnection(connection: FleetConnection): ConnectionOptions {
  if (typeof connection === 'string') return { url: connection, maxRetriesPerRequest: null };
  if (connection instanceof Redis) return connection;
  return { maxRetriesPerRequest: null, ...connection } as ConnectionOptions;
}

/** A new ioredis client of its own on the same Redis (for a pub/sub subscriber or publisher). */
export function ownClient(connection: FleetConnection, connectionName: string): Redis {
  if (connection instanceof Redis) return connection.duplicate({ connectionName });
  const { url, ...options } = typeof connection === 'string' ? { url: connection } : connection;
  const settings: RedisOptions = { maxRetriesPerRequest: null, ...options, connectionName };
  // ioredis's constructor overloads do not accept its own RedisOptions under exactOptionalPropertyTypes.
  const RedisClient = Redis as unknown as new (...args: unknown[]) => Redis;
  return url === undefined ? new RedisClient(settings) : new RedisClient(url, settings);
}

/** Checks a `connection` option, throwing ERR_INVALID_OPTION. */
const CONNECTION = 'a redis:// or rediss:// URL, ioredis options or an ioredis client';

/** Checks a `connection` option, throwing ERR_INVALID_OPTION. */
export function validateConnection(connection: unknown): asserts connection is FleetConnection {
  if (typeof connection === 'string' ? !/^rediss?:\/\//.test(connection) : typeof connection !== 'object' || connection === null || Array.isArray(connection)) {
    invalidOption('connection', CONNECTION, connection);
  }
}

/** Checks a queue name, throwing ERR_INVALID_OPTION. */
export function validateQueueName(queue: unknown): asserts queue is string {
  if (typeof queue !== 'string' || queue.length === 0 || queue.includes(':')) invalidOption('queue', 'a non-empty queue name without `:`', queue);
}
