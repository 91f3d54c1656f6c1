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

/**
 * Submits `count` calls of spin(`ms`), lets the dispatch go by, and checks
 * what each worker holds and how many stay queued; returns the calls, and
 * `done`, which settles once all of them have.
 */
async function submitSpins(pool: Pool<Tasks>, count: number, ms: number, expected: { readonly inFlight: number[]; readonly queued: number; readonly why?: string }): Promise<{ readonly tasks: Promise<number>[]; readonly done: Promise<number[]> }> {
  const tasks = Array.from({ length: count }, () => pool.run('spin', ms));
  await afterDispatch();
  assert.deepEqual(inFlight(pool), expected.inFlight, expected.why);
  assert.equal(pool.stats().queued, expected.queued);
  return { tasks, done: Promise.all(tasks) };
}

/** Submits six 20 ms tasks to a two-worker pool and checks that each worker holds only the one it runs. */
async function expectOneTaskPerWorker(pool: Pool<Tasks>): Promise<void> {
  await (await submitSpins(pool, 6, 20, { inFlight: [1, 1], queued: 4 })).done;
}

describe('a process worker holds its next tasks while it runs a long one', () => {
  it('sends each process worker two tasks ahead of its running one once every worker is busy, and leaves the rest queued', async () => {
    // Short enough that two held ahead stay within the 50 ms of expected work a held task may wait behind, on a loaded machine too.
    await using pool = await warmedPool('process', 8);
    const { done } = await submitSpins(pool, 10, 8, { inFlight: [3, 3], queued: 4, why: 'one running and two held ahead in each worker' });
    assert.equal((await done).length, 10);
  });

  it('refills a process worker two tasks at a time, once it holds none ahead: the queue shrinks by two while it lasts', async () => {
    await using pool = await warmedPool('process', 8);
    const { tasks, done } = await submitSpins(pool, 12, 8, { inFlight: [3, 3], queued: 6 });
    // A call settles right after its answer has been handled, refill included: what is queued then.
    const queuedAfterAnswers: number[] = [];
    for (const task of tasks) {
      void task.then(() => queuedAfterAnswers.push(pool.stats().queued));
    }
    assert.equal((await done).length, 12);
    // 6 → 4 → 2 two at a time (a first answer takes nothing: the worker still holds one ahead), then the last
    // ones one at a time. Refilled one per answer, the queue would read 5 and 3 on the way.
    assert.deepEqual(queuedAfterAnswers.filter((queued) => queued > 2 && queued % 2 === 1), [], `queued after each answer: ${queuedAfterAnswers.join(' ')}`);
    assert.ok(queuedAfterAnswers.includes(6), `the first answers took nothing from the queue: ${queuedAfterAnswers.join(' ')}`);
  });

  it('shares out the last queued tasks one at a time rather than two to one worker', async () => {
    await using pool = await warmedPool('process', 8);
    // Three are left once each worker runs one: the first refill may take one of them (3 / 2 workers), not two.
    const { done } = await submitSpins(pool, 5, 8, { inFlight: [2, 2], queued: 1 });
    assert.equal((await done).length, 5);
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
