import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool, type PoolOptions } from 'spindle';

type Tasks = typeof import('../fixtures/tasks.js');
const tasksUrl = new URL('../fixtures/tasks.js', import.meta.url);

/** A two-worker pool whose estimate for `spin` is about `ms` (learned from a few runs). */
async function warmedPool(runtime: NonNullable<PoolOptions['runtime']>, ms: number): Promise<Pool<Tasks>> {
  const pool = new Pool<Tasks>(tasksUrl, { threads: 2, runtime });
  await pool.ready;
  await Promise.all(Array.from({ length: 4 }, () => pool.run('spin', ms)));
  return pool;
}

/** Lets the pool's dispatch (a microtask after run()) go by. */
async function afterDispatch(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

function inFlight(pool: Pool<Tasks>): number[] {
  return pool.stats().perWorker.map((worker) => worker.inFlight);
}

/** Submits six 20 ms tasks to a two-worker pool and checks that each worker holds only the one it runs. */
async function expectOneTaskPerWorker(pool: Pool<Tasks>): Promise<void> {
  const tasks = Array.from({ length: 6 }, () => pool.run('spin', 20));
  await afterDispatch();
  assert.deepEqual(inFlight(pool), [1, 1]);
  assert.equal(pool.stats().queued, 4);
  await Promise.all(tasks);
}

describe('a process worker holds its next tasks while it runs a long one', () => {
  it('sends each process worker two tasks ahead of its running one once every worker is busy, and leaves the rest queued', async () => {
    // Short enough that two held ahead stay within the 50 ms of expected work a held task may wait behind, on a loaded machine too.
    await using pool = await warmedPool('process', 8);
    const tasks = Array.from({ length: 10 }, () => pool.run('spin', 8));
    await afterDispatch();
    assert.deepEqual(inFlight(pool), [3, 3], 'one running and two held ahead in each worker');
    assert.equal(pool.stats().queued, 4);
    assert.equal((await Promise.all(tasks)).length, 10);
  });

  it('refills a process worker two tasks at a time: not after its first answer, only once it holds none ahead', async () => {
    await using pool = await warmedPool('process', 8);
    const tasks = Array.from({ length: 12 }, () => pool.run('spin', 8));
    await afterDispatch();
    assert.deepEqual(inFlight(pool), [3, 3]);
    assert.equal(pool.stats().queued, 6);
    // Each worker answers its first task about 8 ms in, its second about 16 ms in.
    const queuedAt = new Map<number, number>();
    const warmUps = pool.stats().completed;
    while (pool.stats().completed - warmUps < 4) {
      const { completed, queued } = pool.stats();
      if (!queuedAt.has(completed - warmUps)) queuedAt.set(completed - warmUps, queued);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const afterFirstAnswers = [queuedAt.get(1), queuedAt.get(2)].filter((queued) => queued !== undefined);
    assert.ok(afterFirstAnswers.length > 0, 'saw the pool between the first answers and the next ones');
    assert.deepEqual(afterFirstAnswers, afterFirstAnswers.map(() => 6), 'a first answer takes nothing from the queue');
    assert.ok((pool.stats().queued) <= 4, 'second answers were each refilled with two tasks');
    assert.equal((await Promise.all(tasks)).length, 12);
  });

  it('shares out the last queued tasks one at a time rather than two to one worker', async () => {
    await using pool = await warmedPool('process', 8);
    const tasks = Array.from({ length: 5 }, () => pool.run('spin', 8));
    await afterDispatch();
    // Three are left once each worker runs one: the first refill may take one of them (3 / 2 workers), not two.
    assert.deepEqual(inFlight(pool), [2, 2]);
    assert.equal(pool.stats().queued, 1);
    assert.equal((await Promise.all(tasks)).length, 5);
  });

  it('keeps a thread worker to one long task at a time: a thread needs no IPC hop to get its next one', async () => {
    await using pool = await warmedPool('thread', 20);
    await expectOneTaskPerWorker(pool);
  });

  it('holds nothing behind a task expected to run longer than 50 ms: a task held there could not be taken back while it runs', async () => {
    await using pool = await warmedPool('process', 80);
    await expectOneTaskPerWorker(pool);
  });

  it('holds nothing ahead while the pool may start a worker or one is starting: that worker takes the task', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: { min: 1, max: 2 }, runtime: 'process', idleTimeout: 60_000 });
    await pool.ready;
    // One at a time, so that the pool has no reason to grow yet.
    for (let run = 0; run < 3; run++) await pool.run('spin', 20);
    assert.equal(pool.stats().workers.total, 1);
    const tasks = [pool.run('spin', 20), pool.run('spin', 20)];
    await afterDispatch();
    const stats = pool.stats();
    assert.equal(stats.workers.starting, 1, 'a second worker is on its way');
    assert.equal(inFlight(pool)[0], 1, 'the ready worker holds only the task it runs');
    assert.equal(stats.queued, 1);
    await Promise.all(tasks);
  });
});
