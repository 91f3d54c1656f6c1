import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool, type WorkerExitInfo } from 'spindle';
import { fixture, outcome, waitFor } from './helpers.js';

type Tasks = typeof import('./fixtures/tasks.js');

describe('statistics and events', () => {
  it('returns a frozen snapshot that later work does not change', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
    await pool.run('add', { a: 1, b: 1 });
    const snapshot = pool.stats();
    assert.ok(Object.isFrozen(snapshot));
    assert.ok(Object.isFrozen(snapshot.workers));
    assert.ok(Object.isFrozen(snapshot.runTime));
    assert.ok(Object.isFrozen(snapshot.perWorker));
    assert.throws(() => {
      (snapshot as { completed: number }).completed = 99;
    }, TypeError);
    await pool.run('add', { a: 1, b: 1 });
    assert.equal(snapshot.completed, 1);
    assert.equal(pool.stats().completed, 2);
  });

  it('counts submitted, completed and failed tasks and reports run and wait time percentiles', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
    await Promise.all(Array.from({ length: 20 }, () => pool.run('spin', 5)));
    await outcome(pool.run('fail', 'x'));
    const stats = pool.stats();
    assert.equal(stats.submitted, 21);
    assert.equal(stats.completed, 20);
    assert.equal(stats.failed, 1);
    assert.equal(stats.queued, 0);
    assert.equal(stats.running, 0);
    assert.equal(stats.runTime.count, 21);
    assert.ok(stats.runTime.p50 >= 4 && stats.runTime.p50 < 100, `run time p50 ${String(stats.runTime.p50)} ms`);
    assert.ok(stats.runTime.p50 <= stats.runTime.p95 && stats.runTime.p95 <= stats.runTime.p99 && stats.runTime.p99 <= stats.runTime.max);
    assert.ok(stats.waitTime.p99 >= 5, 'tasks queued behind others waited');
    assert.ok(stats.utilization > 0 && stats.utilization <= 1);
  });

  it('reports each worker with its thread id, completed tasks, errors, average run time and last activity', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
    await pool.ready;
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => pool.run('spin', 5)));
    await outcome(pool.run('fail', 'x'));
    const perWorker = pool.stats().perWorker;
    assert.equal(perWorker.length, 2);
    assert.equal(new Set(perWorker.map((worker) => worker.threadId)).size, 2);
    assert.equal(perWorker.reduce((sum, worker) => sum + worker.tasksCompleted, 0), 11);
    assert.equal(perWorker.reduce((sum, worker) => sum + worker.errors, 0), 1);
    for (const worker of perWorker) {
      assert.equal(worker.state, 'ready');
      assert.ok(worker.averageRunTimeMs > 0 && worker.averageRunTimeMs < 100);
      assert.ok(worker.lastActiveAt >= started);
    }
  });

  it('shows busy and queued work while tasks run', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    await pool.ready;
    const tasks = [pool.run('sleep', 100), pool.run('sleep', 100), pool.run('sleep', 100)];
    await waitFor(() => pool.stats().workers.busy === 1);
    const stats = pool.stats();
    assert.equal(stats.workers.idle, 0);
    assert.equal(stats.running + stats.queued, 3);
    await Promise.all(tasks);
  });

  it('counts a task that timed out as no longer running while its worker still finishes it, as onIdle() does', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1, abortGrace: 10_000 });
    await pool.ready;
    const started = Date.now();
    const timedOut = await outcome(pool.run('spin', 1_500, { timeout: 50 }));
    assert.equal(timedOut.ok ? 'resolved' : timedOut.error.code, 'ERR_TASK_TIMEOUT');
    await pool.onIdle();
    const stats = pool.stats();
    // The worker is still spinning through the task (it cannot see the abort): busy, but running nothing the caller waits for.
    assert.ok(Date.now() - started < 1_500, 'the worker is still in the task when the snapshot is taken');
    assert.equal(stats.workers.busy, 1);
    assert.equal(stats.running, 0);
    assert.equal(stats.queued, 0);
  });

  it('emits workerStart for each worker and workerExit with the reason when they end', async () => {
    const pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
    const started: number[] = [];
    const exited: WorkerExitInfo[] = [];
    pool.on('workerStart', (info) => started.push(info.threadId));
    pool.on('workerExit', (info) => exited.push(info));
    await pool.ready;
    assert.equal(started.length, 2);
    await pool.close();
    assert.deepEqual(exited.map((info) => info.reason), ['close', 'close']);
    assert.deepEqual(exited.map((info) => info.threadId).sort(), [...started].sort());
  });

  it('emits idle when the last task settles', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    let idle = 0;
    pool.on('idle', () => idle++);
    await Promise.all([pool.run('add', { a: 1, b: 1 }), pool.run('add', { a: 1, b: 1 })]);
    assert.equal(idle, 1);
  });
});

describe('a dynamic pool', () => {
  it('grows under queue pressure up to max and retires idle workers down to min after idleTimeout', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: { min: 1, max: 3 }, idleTimeout: 100 });
    await pool.ready;
    assert.equal(pool.stats().workers.total, 1);
    const exits: string[] = [];
    pool.on('workerExit', (info) => exits.push(info.reason));
    let largest = 0;
    const watch = setInterval(() => {
      largest = Math.max(largest, pool.stats().workers.total);
    }, 2);
    await Promise.all(Array.from({ length: 12 }, () => pool.run('spin', 20)));
    clearInterval(watch);
    assert.ok(largest >= 2 && largest <= 3, `grew to ${String(largest)} workers (started or starting)`);
    // Workers still starting when the work ran out start all the same, then retire.
    await waitFor(() => pool.stats().workers.starting === 0, 5_000, 'the new workers to start');
    const peak = pool.stats().workersStarted;
    assert.ok(peak >= 2 && peak <= 3, `started ${String(peak)} workers`);
    await waitFor(() => pool.stats().workers.total === 1 && exits.length === peak - 1, 3_000, 'idle workers to retire');
    assert.deepEqual(exits, Array.from({ length: peak - 1 }, () => 'idle'));
  });

  it('starts from zero workers and still runs tasks when min is 0', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: { min: 0, max: 2 }, idleTimeout: 50 });
    await pool.ready;
    assert.equal(pool.stats().workers.total, 0);
    assert.equal(await pool.run('add', { a: 2, b: 2 }), 4);
    await waitFor(() => pool.stats().workers.total === 0, 3_000, 'the pool to shrink to zero');
    assert.equal(await pool.run('add', { a: 3, b: 3 }), 6);
  });
});

describe('recycling', () => {
  it('replaces a worker after maxTasksPerWorker tasks without failing any task', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1, maxTasksPerWorker: 10 });
    const threads = new Set<number>();
    for (let index = 0; index < 35; index++) threads.add(await pool.run('threadId', undefined));
    assert.equal(threads.size, 4);
    assert.equal(pool.stats().failed, 0);
  });

  it('replaces a worker whose heap passes maxHeapUsedMb after a task, and the task still succeeds', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1, maxHeapUsedMb: 40 });
    const first = await pool.run('threadId', undefined);
    assert.equal(await pool.run('retainMemory', 80), 80);
    await waitFor(() => pool.stats().perWorker.every((worker) => worker.threadId !== first), 3_000, 'the worker to be replaced');
    assert.notEqual(await pool.run('threadId', undefined), first);
    assert.equal(pool.stats().failed, 0);
  });
});
