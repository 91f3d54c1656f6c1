// node.ts: a fleet node; start it on as many machines as you like
import { Pool } from 'spindle';
import { serveQueue } from 'spindle/bullmq';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'));
const node = serveQueue(pool, { queue: 'tasks', connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
node.closeOnSignal(); // SIGTERM: stop taking jobs, finish the running ones, close the pool and Redis
await node.ready;
console.log('serving');
