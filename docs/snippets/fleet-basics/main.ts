import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '../../../test/bullmq/redis-server.js';

// Not shown: a Redis of its own, and node.ts in a process of its own (through tsx when this runs through tsx).
const redis = await startRedisServer();
Object.assign(process.env, { REDIS_URL: redis.url });
const nodeFile = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './node.ts' : './node.js', import.meta.url));
const nodeProcess = spawn(process.execPath, [...process.execArgv, nodeFile], { stdio: ['ignore', 'pipe', 'inherit'] });
await once(nodeProcess.stdout, 'data');
const progress: unknown[] = [];

// #region shown
// main.ts: the producer: the same tasks, the same typed run(), on the fleet
import { QueuePool } from 'spindle/bullmq';

const fleet = new QueuePool<typeof import('./tasks.js')>({ queue: 'tasks', connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
const n: number = await fleet.run('fib', 30, { priority: 10, timeout: 10_000 }); // checked as pool.run() is
const digest = await fleet.run('sha256', new TextEncoder().encode('hello'), { onProgress: (bytes) => progress.push(bytes) });
for await (const result of fleet.map([20, 21, 22], 'fib', { concurrency: 2 })) console.log(result);
await fleet.close();
// #endregion

// Not shown: what the docs test checks.
assert.equal(n, 832_040);
assert.equal(digest, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
assert.deepEqual(progress, [5]);
const exited = once(nodeProcess, 'exit');
nodeProcess.kill('SIGTERM');
assert.deepEqual(await exited, [0, null], 'the node closed on SIGTERM and exited by itself');
await redis.stop();
