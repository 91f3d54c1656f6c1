/**
 * The same typed tasks on a fleet of machines, through BullMQ on Redis
 * (optional peer dependencies: `bullmq` 6 and `ioredis`):
 * `import { QueuePool, serveQueue } from 'spindle/bullmq'`.
 *
 * A node serves the queue on its own pool with `serveQueue(pool, options)`;
 * a producer runs tasks on the fleet with `new QueuePool<Tasks>(options).run()`.
 */
export { serveQueue, type ServeQueueOptions, type ServedQueue } from './serve-queue.js';
export { QueuePool, type QueueRunArguments, type QueuePoolStats, type QueuePoolEvents } from './queue-pool.js';
export type { QueuePoolOptions, QueueRunOptions } from './queue-pool-options.js';
export type { QueueMapOptions } from './queue-map.js';
export type { FleetConnection } from './connection.js';
export { encodeValue, decodeValue, type Json } from './codec.js';
export { FleetError, JobLostError, JobStalledError, JobFailedError, fleetErrorCodes, type FleetErrorCode } from './errors.js';
