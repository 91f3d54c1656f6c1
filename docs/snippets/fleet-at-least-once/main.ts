// Not shown in the docs: the task of tasks.ts run twice for one report, through a fleet of one node.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'spindle';
import { QueuePool, serveQueue } from 'spindle/bullmq';
import { startRedisServer } from '../../../test/bullmq/redis-server.js';

type Tasks = typeof import('./tasks.js');
const redis = await startRedisServer();
const directory = await mkdtemp(join(tmpdir(), 'spindle-reports-'));
const node = serveQueue(new Pool<Tasks>(import.meta.resolve('./tasks.js'), { threads: 1 }), { queue: 'reports', connection: redis.url });
const fleet = new QueuePool<Tasks>({ queue: 'reports', connection: redis.url });

const request = { reportId: 'report-2026-05', directory, rows: [1, 2, 3] };
const first = await fleet.run('renderReport', request);
const again = await fleet.run('renderReport', request); // as a second delivery of the same job would
assert.deepEqual([first.rendered, again.rendered], [true, false]);
assert.equal(again.path, first.path);
assert.equal(await readFile(first.path, 'utf8'), '1\n2\n3');

await fleet.close();
await node.close();
await redis.stop();
await rm(directory, { recursive: true, force: true });
