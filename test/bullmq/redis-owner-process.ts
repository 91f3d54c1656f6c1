/**
 * A process that starts a redis-server and then only waits: redis-server.test.ts
 * kills it with SIGKILL and checks that the server does not outlive it.
 */
import { startRedisServer } from './redis-server.js';

const redis = await startRedisServer();
process.stdout.write(`${JSON.stringify({ pid: redis.pid })}\n`);
setInterval(() => undefined, 60_000);
