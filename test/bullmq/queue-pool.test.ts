import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { QueuePool } from 'spindle/bullmq';
import { openQueuePool, redisForThisSuite, startNode, uniqueQueue, type FleetTasks } from './fleet-helpers.js';

describe('QueuePool', { timeout: 120_000 }, () => {
  const redis = redisForThisSuite();

  it('runs higher priorities first and keeps FIFO order within a priority', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('priorities');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const order: string[] = [];
    node.served.worker.on('active', (job) => order.push(String(job.data)));
    const fleet = await openQueuePool(redis.url, queue);
    const blocker = fleet.run('sleep', 300);
    await once(node.served.worker, 'active');
    const calls = [
      fleet.run('sleep', 1, { priority: 0 }),
      fleet.run('sleep', 2, { priority: 0 }),
      fleet.run('sleep', 3, { priority: 5 }),
      fleet.run('sleep', 4, { priority: -3 }),
      fleet.run('sleep', 5, { priority: 5 }),
      fleet.run('sleep', 6, { priority: 1_048_575 }),
    ];
    await Promise.all([blocker, ...calls]);
    assert.deepEqual(order, ['300', '6', '3', '5', '1', '2', '4']);
  });

  it("maps its options to BullMQ's job options: attempts = retries + 1, backoff, delay, a priority for every job, and the run-time limit in opts.spindle", { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('job-options');
    const node = await startNode(redis.url, queue);
    const fleet = await openQueuePool(redis.url, queue, { retries: 1, backoff: { type: 'exponential', delay: 100 } });
    const active = once(node.served.worker, 'active') as Promise<[Job]>;
    const startedAt = Date.now();
    await fleet.run('square', 2, { priority: 7, timeout: 1_500, delay: 200 });
    const [job] = await active;
    assert.ok(Date.now() - startedAt >= 190, 'the delay held the job back');
    assert.deepEqual(
      { ...job.opts, jobId: undefined },
      {
        jobId: undefined,
        priority: 2 ** 20 - 7,
        attempts: 2,
        backoff: { type: 'exponential', delay: 100 },
        delay: 200,
        removeOnComplete: { age: 3_600, count: 100_000 },
        removeOnFail: { age: 86_400 },
        spindle: { timeout: 1_500 },
      },
    );
    const second = once(node.served.worker, 'active') as Promise<[Job]>;
    await fleet.run('square', 3);
    assert.equal((await second)[0].opts.priority, 2 ** 20, 'priority 0 sits in the middle of BullMQ’s range');
  });

  it('map() yields every result in input order, with at most `concurrency` jobs in flight', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('map');
    const node = await startNode(redis.url, queue, { concurrency: 8 }, { threads: 2 });
    let running = 0;
    let mostRunning = 0;
    node.served.worker.on('active', () => (mostRunning = Math.max(mostRunning, ++running)));
    node.served.worker.on('completed', () => running--);
    const fleet = await openQueuePool(redis.url, queue);
    const inputs = Array.from({ length: 30 }, (_, index) => ({ id: index, ms: (index * 7) % 20 }));
    const results: number[] = [];
    for await (const result of fleet.map(inputs, 'slowJob', { concurrency: 3 })) results.push(result.id);
    assert.deepEqual(results, inputs.map((input) => input.id));
    assert.ok(mostRunning <= 3, `${mostRunning} jobs ran at once`);
    assert.ok(mostRunning >= 2, 'more than one job ran at once');
  });

  it('map() with ordered: false yields each result as its job finishes, and reads an async iterable input', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('map-unordered');
    await startNode(redis.url, queue, { concurrency: 4 }, { threads: 2 });
    const fleet = await openQueuePool(redis.url, queue);
    async function* input(): AsyncGenerator<number> {
      await Promise.resolve();
      yield 600;
      yield 10;
      yield 20;
    }
    const results: number[] = [];
    for await (const ms of fleet.map(input(), 'sleep', { ordered: false, concurrency: 3 })) results.push(ms);
    assert.equal(results.at(-1), 600, `the slow job came last: ${results.join(', ')}`);
    assert.deepEqual([...results].sort((a, b) => a - b), [10, 20, 600]);
  });

  it('a failed job ends map() with its error, and withdraws the rest', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('map-failure');
    await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const consumed: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const n of fleet.map([1, 2, -1, 4, 5], 'square', { concurrency: 2 })) {
          consumed.push(n);
          if (n === 4) await fleet.run('fail', 'code');
        }
      })(),
      { code: 'E_CUSTOM' },
    );
    assert.deepEqual(consumed, [1, 4]);
    await fleet.onIdle();
  });

  it('rejects at once with ERR_QUEUE_FULL past maxInFlight, and its stats add up', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('max-in-flight');
    await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue, { maxInFlight: 2 });
    const first = fleet.run('sleep', 200);
    const second = fleet.run('sleep', 10);
    await assert.rejects(fleet.run('square', 3), { code: 'ERR_QUEUE_FULL', message: 'The queue pool has 2 jobs in flight (maxInFlight = 2)' });
    await Promise.all([first, second]);
    assert.equal(await fleet.run('square', 3), 9);
    const stats = fleet.stats();
    assert.deepEqual(stats, { submitted: 3, inFlight: 0, completed: 3, failed: 0, aborted: 0, failedByCode: {}, rejectedQueueFull: 1 });
    assert.ok(Object.isFrozen(stats));
  });

  it('close() waits for the calls in flight, then rejects new ones with ERR_POOL_CLOSED', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('close');
    await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = new QueuePool<FleetTasks>({ queue, connection: redis.url });
    const running = fleet.run('sleep', 200);
    const closed = fleet.close();
    await assert.rejects(fleet.run('square', 1), { code: 'ERR_POOL_CLOSED' });
    await closed;
    assert.equal(await running, 200, 'the call in flight finished before close() resolved');
  });

  it('close({ timeout }) rejects what is still in flight then with ERR_POOL_DESTROYED, and leaves the job in the queue', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('close-timeout');
    const fleet = new QueuePool<FleetTasks>({ queue, connection: redis.url });
    const waiting = assert.rejects(fleet.run('square', 1), { code: 'ERR_POOL_DESTROYED', message: 'The queue pool was closed before the job finished; the job stays in the queue' });
    await fleet.ready;
    await fleet.close({ timeout: 100 });
    await waiting;
    const other = await openQueuePool(redis.url, queue);
    assert.equal((await other.queue.getJobCounts('prioritized')).prioritized, 1);
  });

  it('rejects wrong options, naming them: ERR_INVALID_OPTION from the constructor, ERR_INVALID_ARGUMENT from a call', { timeout: 30_000 }, async () => {
    assert.throws(() => new QueuePool({ queue: 'a:b', connection: redis.url }), { code: 'ERR_INVALID_OPTION', message: 'Expected `queue` to be a non-empty queue name without `:`, got `a:b` (string)' });
    assert.throws(() => new QueuePool({ queue: 'q', connection: 'http://127.0.0.1' }), { code: 'ERR_INVALID_OPTION', message: /^Expected `connection` to be a redis:\/\/ or rediss:\/\/ URL/ });
    assert.throws(() => new QueuePool({ queue: 'q', connection: redis.url, maxInFlight: 0 }), { code: 'ERR_INVALID_OPTION', message: 'Expected `maxInFlight` to be an integer >= 1 or Infinity, got `0` (number)' });
    assert.throws(() => new QueuePool({ queue: 'q', connection: redis.url, retries: -1 }), { code: 'ERR_INVALID_OPTION', message: 'Expected `retries` to be an integer >= 0, got `-1` (number)' });
    const fleet = await openQueuePool(redis.url, uniqueQueue('invalid'));
    await assert.rejects(fleet.run('square', 1, { priority: 1.5 }), { code: 'ERR_INVALID_ARGUMENT', message: 'Expected `priority` to be an integer from -1048575 to 1048575, got `1.5` (number)' });
    await assert.rejects(fleet.run('square', 1, { timeout: 0 }), { code: 'ERR_INVALID_ARGUMENT', message: 'Expected `timeout` to be a finite number > 0, got `0` (number)' });
    await assert.rejects(fleet.run('square', 1, { backoff: { delay: 5 } as never }), { code: 'ERR_INVALID_ARGUMENT', message: /^Expected `backoff` to be a number >= 0 or/ });
    assert.throws(() => fleet.map([1], 'square', { concurrency: 0 }), { code: 'ERR_INVALID_ARGUMENT', message: 'Expected `concurrency` to be an integer >= 1, got `0` (number)' });
    assert.equal(fleet.stats().submitted, 0, 'nothing was submitted');
  });
});
