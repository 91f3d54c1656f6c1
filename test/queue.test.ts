import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { fixture, outcome } from './helpers.js';

type Tasks = typeof import('./fixtures/tasks.js');

describe('the queue', () => {
  it('runs waiting tasks by priority, higher first and FIFO within a priority', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    await pool.run('echo', 'warm up');
    const order: string[] = [];
    const blocker = pool.run('spin', 100);
    const submissions = (
      [
        ['low-1', -1],
        ['mid-1', 0],
        ['high-1', 5],
        ['mid-2', 0],
        ['high-2', 5],
        ['low-2', -1],
      ] as const
    ).map(([label, priority]) => pool.run('echo', label, { priority }).then((value) => order.push(String(value))));
    await blocker;
    await Promise.all(submissions);
    assert.deepEqual(order, ['high-1', 'high-2', 'mid-1', 'mid-2', 'low-1', 'low-2']);
  });

  it('says in backpressure how many tasks wait against maxQueue, apart from those idle workers are about to take', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2, maxQueue: 2 });
    await pool.ready;
    const events: { waiting: number; maxQueue: number; queued: number }[] = [];
    pool.on('backpressure', (info) => events.push({ ...info }));
    // One synchronous burst: two tasks for the idle workers and two that wait fit; the fifth does not.
    const accepted = Array.from({ length: 4 }, () => pool.run('sleep', 20));
    await assert.rejects(pool.run('sleep', 20), { code: 'ERR_QUEUE_FULL' });
    assert.deepEqual(events, [{ waiting: 2, maxQueue: 2, queued: 4 }]);
    await Promise.all(accepted);
  });

  it('rejects a submission past maxQueue at once with ERR_QUEUE_FULL and emits backpressure, then drain', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1, maxQueue: 5 });
    await pool.ready;
    const events: string[] = [];
    pool.on('backpressure', (info) => events.push(`backpressure ${String(info.waiting)}/${String(info.maxQueue)} (${String(info.queued)} queued)`));
    pool.on('drain', () => events.push('drain'));
    // One task starts on the idle worker, five wait: the queue is full.
    const accepted = Array.from({ length: 6 }, () => pool.run('sleep', 20));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pool.stats().queued, 5);
    const started = performance.now();
    const rejected = await outcome(pool.run('sleep', 20));
    assert.ok(performance.now() - started < 50);
    assert.equal(!rejected.ok && rejected.error.code, 'ERR_QUEUE_FULL');
    assert.equal(pool.stats().rejectedQueueFull, 1);
    assert.equal(events[0], 'backpressure 5/5 (5 queued)');
    await pool.onDrain();
    assert.ok(pool.stats().queued < 5);
    assert.deepEqual(events, ['backpressure 5/5 (5 queued)', 'drain']);
    assert.equal(await pool.run('add', { a: 1, b: 1 }), 2);
    await Promise.all(accepted);
  });

  it('resolves onDrain at once when the queue has room', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1, maxQueue: 10 });
    await pool.onDrain();
  });

  it('lets a producer that awaits onDrain submit far more tasks than maxQueue without a rejection', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2, maxQueue: 50 });
    const pending: Promise<number>[] = [];
    for (let index = 0; index < 2_000; index++) {
      if (pool.stats().queued >= 50) await pool.onDrain();
      pending.push(pool.run('add', { a: index, b: 0 }));
    }
    const results = await Promise.all(pending);
    assert.equal(results.length, 2_000);
    assert.equal(pool.stats().rejectedQueueFull, 0);
  });

  it('rejects a task that waits longer than its queueTimeout with ERR_QUEUE_TIMEOUT', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    await pool.ready;
    const blocker = pool.run('spin', 200);
    const waiting = outcome(pool.run('add', { a: 1, b: 1 }, { queueTimeout: 50 }));
    const result = await waiting;
    assert.equal(!result.ok && result.error.code, 'ERR_QUEUE_TIMEOUT');
    await blocker;
    assert.equal(await pool.run('add', { a: 1, b: 1 }, { queueTimeout: 1_000 }), 2);
  });

  it('resolves onIdle once nothing is queued or running', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
    let done = 0;
    for (let index = 0; index < 10; index++) void pool.run('sleep', 10).then(() => done++);
    await pool.onIdle();
    assert.equal(done, 10);
    assert.equal(pool.stats().running, 0);
  });
});

describe('a pool with maxQueue 0', () => {
  it('runs tasks while workers are free and rejects, rather than queues, once all are busy', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2, maxQueue: 0 });
    await pool.ready;
    const running = [pool.run('sleep', 100), pool.run('sleep', 100)];
    await assert.rejects(pool.run('sleep', 1), { code: 'ERR_QUEUE_FULL' });
    await pool.onDrain();
    assert.equal(pool.stats().workers.busy < 2, true);
    assert.equal(await pool.run('add', { a: 1, b: 2 }), 3);
    assert.deepEqual(await Promise.all(running), [100, 100]);
  });
});
