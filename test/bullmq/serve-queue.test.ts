import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'spindle';
import { serveQueue } from 'spindle/bullmq';
import { closeEverything, fleetTasks, openQueuePool, startNode, uniqueQueue, waitUntil, type FleetTasks } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

describe('serveQueue(): a fleet node', { timeout: 120_000 }, () => {
  let redis: RedisServer;
  let observer: Redis;
  const connections = async (): Promise<number> => String(await observer.client('LIST')).trim().split('\n').length;
  before(async () => {
    redis = await startRedisServer();
    observer = new Redis(redis.url);
  });
  after(async () => {
    await closeEverything();
    observer.disconnect();
    await redis.stop();
  });

  it("starts by pulling only what its pool can run: BullMQ's concurrency is the pool's workers, and an explicit one wins", { timeout: 30_000 }, async () => {
    const three = await startNode(redis.url, uniqueQueue('concurrency'), {}, { threads: 3 });
    assert.equal(three.served.worker.concurrency, 3);
    const chosen = await startNode(redis.url, uniqueQueue('concurrency'), { concurrency: 7 }, { threads: 1 });
    assert.equal(chosen.served.worker.concurrency, 7);
  });

  it('pulls one job ahead per worker while its jobs are short, and only what its pool runs once a job is slow', { timeout: 60_000 }, async () => {
    const queue = uniqueQueue('pull-ahead');
    const node = await startNode(redis.url, queue, {}, { threads: 2 });
    const fleet = await openQueuePool(redis.url, queue);
    const { worker } = node.served;
    // Short jobs until the node pulls ahead (on a loaded machine a few may take longer than the 50 ms it asks).
    const deadline = Date.now() + 20_000;
    while (worker.concurrency === 2 && Date.now() < deadline) await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => fleet.run('square', n)));
    assert.equal(worker.concurrency, 4, 'two workers, and one short job held ahead of each');

    assert.equal(await fleet.run('sleep', 300), 300);
    assert.equal(worker.concurrency, 2, 'after a job of 300 ms, only what the workers run');
    const active = new Set<string | undefined>();
    let mostActive = 0;
    worker.on('active', (job) => (mostActive = Math.max(mostActive, active.add(job.id).size)));
    worker.on('completed', (job) => active.delete(job.id));
    assert.deepEqual(await Promise.all([150, 150, 150, 150, 150].map((ms) => fleet.run('sleep', ms))), [150, 150, 150, 150, 150]);
    assert.ok(mostActive >= 1 && mostActive <= 2, `slow jobs wait in Redis, for any node, not behind each other here (${String(mostActive)} at once)`);
    assert.equal(worker.concurrency, 2);
  });

  it("runs every job it takes when its pool limits its queue (maxQueue: 0): a job that finds no room waits for it, and the node stops pulling ahead", { timeout: 60_000 }, async () => {
    const queue = uniqueQueue('queue-full');
    const node = await startNode(redis.url, queue, {}, { threads: 1, maxQueue: 0 });
    const fleet = await openQueuePool(redis.url, queue);
    const { worker } = node.served;
    const failed: string[] = [];
    worker.on('failed', (job, error) => failed.push(`${String(job?.id)}: ${error.message}`));
    const deadline = Date.now() + 20_000;
    let squares = 0;
    while (worker.concurrency === 1 && Date.now() < deadline) {
      assert.equal(await fleet.run('square', 3), 9);
      squares++;
    }
    assert.equal(worker.concurrency, 2, `pulling ahead after ${String(squares)} short jobs`);
    // Jobs of 40 ms: the one held ahead reaches the pool while the one before it still runs.
    assert.deepEqual(await Promise.all([40, 40, 40, 40, 40, 40].map((ms) => fleet.run('sleep', ms))), [40, 40, 40, 40, 40, 40]);
    assert.deepEqual(failed, []);
    assert.ok(node.pool.stats().rejectedQueueFull > 0, 'a job held ahead found no room');
    assert.equal(worker.concurrency, 1, 'no more pulling ahead on a pool without room for it');
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map((n) => fleet.run('square', n))), [1, 4, 9, 16]);
    assert.equal(worker.concurrency, 1);

    const fixed = await startNode(redis.url, uniqueQueue('queue-full-fixed'), { concurrency: 3 }, { threads: 1, maxQueue: 0 });
    const fixedFleet = await openQueuePool(redis.url, fixed.served.worker.name);
    assert.deepEqual(await Promise.all([30, 30, 30, 30, 30].map((ms) => fixedFleet.run('sleep', ms))), [30, 30, 30, 30, 30], 'with an explicit concurrency too');
  });

  it('keeps an explicit concurrency whatever its jobs take', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('fixed-concurrency');
    const node = await startNode(redis.url, queue, { concurrency: 3 }, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    for (let batch = 0; batch < 4; batch++) await Promise.all([1, 2, 3, 4, 5, 6].map((n) => fleet.run('square', n)));
    assert.equal(node.served.worker.concurrency, 3);
  });

  it('serves jobs from a plain BullMQ producer: job.name is the task, job.data its argument, and the result the return value, as plain JSON', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('plain-producer');
    await startNode(redis.url, queue, {}, { threads: 1 });
    const producer = new Queue(queue, { connection: { url: redis.url } });
    const events = new QueueEvents(queue, { connection: { url: redis.url } });
    try {
      await events.waitUntilReady();
      const job = await producer.add('square', 12);
      assert.equal(await job.waitUntilFinished(events, 10_000), 144);
      const stored = await Job.fromId(producer, job.id ?? '');
      assert.equal(stored?.returnvalue, 144);
    } finally {
      await Promise.all([producer.close(), events.close()]);
    }
  });

  it('close() stops taking jobs, finishes the running one, closes the pool, then its Redis connections; the waiting jobs stay for other nodes', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('close');
    const fleet = await openQueuePool(redis.url, queue);
    const baseline = await connections();
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    assert.ok((await connections()) > baseline, 'the node has connections of its own');
    const running = fleet.run('sleep', 400);
    await once(node.served.worker, 'active');
    const waiting = [1, 2, 3].map((n) => fleet.run('square', n));
    await waitUntil(async () => (await fleet.queue.getJobCounts('prioritized')).prioritized === 3, 'three jobs waiting');
    await node.served.close();
    assert.equal(await running, 400, 'the running job finished');
    assert.equal(node.pool.stats().state, 'closed');
    await waitUntil(async () => (await connections()) === baseline, 'the node to close its connections', 5_000);
    assert.equal((await fleet.queue.getJobCounts('prioritized')).prioritized, 3, 'the waiting jobs were left in the queue');
    await startNode(redis.url, queue, {}, { threads: 1 });
    assert.deepEqual(await Promise.all(waiting), [1, 4, 9], 'another node ran them');
  });

  it('closeOnSignal(): on SIGTERM a node process finishes its running job, closes, and exits 0 by itself', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('signal');
    const child = spawn(process.execPath, [fileURLToPath(new URL('../fixtures/bullmq/signal-node.js', import.meta.url)), redis.url, queue], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitUntil(() => output.includes('ready'), 'the node to be ready', 20_000);
    const fleet = await openQueuePool(redis.url, queue);
    const running = fleet.run('sleep', 500);
    await waitUntil(async () => (await fleet.queue.getJobCounts('active')).active === 1, 'the job to start');
    child.kill('SIGTERM');
    assert.equal(await running, 500);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, 'it exited by itself, nothing left holding it');
  });

  it('close({ timeout }) leaves a job still running then to BullMQ’s stalled-job check: another node runs it again and the call still resolves', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('close-timeout');
    const recovery = { lockDuration: 1_000, stalledInterval: 500 };
    const first = await startNode(redis.url, queue, recovery, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const call = fleet.run('slowJob', { id: 1, ms: 2_000 });
    await once(first.served.worker, 'active');
    const second = await startNode(redis.url, queue, recovery, { threads: 1 });
    const rerun = once(second.served.worker, 'active');
    const closingAt = Date.now();
    await first.served.close({ timeout: 200 });
    assert.ok(Date.now() - closingAt < 1_500, `close() took ${Date.now() - closingAt} ms`);
    assert.equal(first.pool.stats().state, 'closed');
    await rerun;
    assert.deepEqual(await call, { id: 1, pid: process.pid });
  });

  it('rejects wrong options with ERR_INVALID_OPTION, naming them', { timeout: 30_000 }, async () => {
    const pool = new Pool<FleetTasks>(fleetTasks, { threads: 1 });
    assert.throws(() => serveQueue(pool, { queue: '', connection: redis.url }), { code: 'ERR_INVALID_OPTION', message: 'Expected `queue` to be a non-empty queue name without `:`, got `` (string)' });
    assert.throws(() => serveQueue(pool, { queue: 'q', connection: redis.url, concurrency: 0 }), { code: 'ERR_INVALID_OPTION', message: 'Expected `concurrency` to be an integer >= 1, got `0` (number)' });
    assert.throws(() => serveQueue(pool, { queue: 'q', connection: 42 as never }), { code: 'ERR_INVALID_OPTION' });
    await pool.close();
  });
});
