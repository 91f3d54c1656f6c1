import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import type * as Tasks from './fixtures/tasks.js';
import { fixture } from './helpers.js';

for (const runtime of ['thread', 'process'] as const) {
  // A process worker has no port to poll: it keeps its event loop turning instead (runner.ts), which eventLoopUtilization counts as busy too.
  describe(`busy polling between tasks, runtime: '${runtime}'`, () => {
    it('an idle worker polls for its next task for busyPollUs and then sleeps', async () => {
      // A 200 ms window inside a 1,500 ms pause: a worker that polled too briefly shows well under
      // 200 ms busy, one that never stopped shows the whole pause. The margins absorb a loaded machine.
      await using pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 1, busyPollUs: 200_000 });
      const before = await pool.run('loopBusyMs', undefined);
      await delay(1_500);
      const busyMs = (await pool.run('loopBusyMs', undefined)) - before;
      assert.ok(busyMs >= 150, `expected about 200 ms of polling after the first task, got ${busyMs.toFixed(1)} ms`);
      assert.ok(busyMs < 1_000, `expected polling to stop after 200 ms of a 1,500 ms pause, got ${busyMs.toFixed(1)} ms busy`);
    });

    it('with busyPollUs 0 an idle worker sleeps at once', async () => {
      await using pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 1, busyPollUs: 0 });
      const before = await pool.run('loopBusyMs', undefined);
      await delay(500);
      const busyMs = (await pool.run('loopBusyMs', undefined)) - before;
      assert.ok(busyMs < 100, `expected no polling in a 500 ms pause, got ${busyMs.toFixed(1)} ms busy`);
    });

    it('runs tasks that arrive while the worker polls in order, asynchronous ones included', async () => {
      await using pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 1, busyPollUs: 2_000_000 });
      const results: number[] = [];
      for (let index = 0; index < 500; index++) {
        results.push(index % 50 === 0 ? await pool.run('addLater', { a: index, b: 0, delayMs: 1 }) : await pool.run('add', { a: index, b: 0 }));
      }
      assert.deepEqual(results, Array.from({ length: 500 }, (_, index) => index));
    });

    it('a worker polling for its next task still stops at once when the pool closes', async () => {
      const pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 2, busyPollUs: 10_000_000 });
      await Promise.all([pool.run('add', { a: 1, b: 2 }), pool.run('add', { a: 3, b: 4 })]);
      const started = performance.now();
      await pool.close();
      const closeMs = performance.now() - started;
      assert.ok(closeMs < 2_000, `expected close() well inside the 10 s polling window, took ${closeMs.toFixed(0)} ms`);
      assert.equal(pool.stats().workers.total, 0);
    });

    it('aborts that reach a polling worker after its task finished change nothing, and every task settles once', async () => {
      await using pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 1, busyPollUs: 2_000_000 });
      let resolved = 0;
      let aborted = 0;
      for (let index = 0; index < 1_000; index++) {
        const controller = new AbortController();
        const task = pool.run('add', { a: index, b: 1 }, { signal: controller.signal });
        if (index % 3 === 0) queueMicrotask(() => {
            controller.abort();
          });
        else if (index % 3 === 1) setImmediate(() => {
            controller.abort();
          });
        try {
          assert.equal(await task, index + 1);
          resolved++;
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'ERR_TASK_ABORTED');
          aborted++;
        }
      }
      assert.equal(resolved + aborted, 1_000);
      assert.ok(aborted >= 333, `expected at least the microtask aborts to win, got ${String(aborted)}`);
      assert.equal(await pool.run('add', { a: 20, b: 22 }), 42);
    });
  });
}

describe("the pool's event loop while short tasks are out", () => {
  const cpus = availableParallelism();
  /** Whether the pool keeps an immediate pending (its loop turning) right after sending `name`, once the task's run time is known. */
  async function turnsWhileOut(pool: Pool<typeof Tasks>): Promise<boolean> {
    for (let index = 0; index < 20; index++) await pool.run('add', { a: index, b: 1 });
    await delay(50);
    assert.equal(process.getActiveResourcesInfo().includes('Immediate'), false);
    const task = pool.run('add', { a: 1, b: 1 });
    // The pool sends in a microtask.
    await Promise.resolve();
    const turning = process.getActiveResourcesInfo().includes('Immediate');
    assert.equal(await task, 2);
    return turning;
  }

  for (const runtime of ['thread', 'process'] as const) {
    it(`keeps turning while a ${runtime} worker's short task is out, so that its answer is read without waking the pool's process`, { skip: cpus < 2 ? 'needs a CPU besides the worker’s' : false }, async () => {
      // A window of 20 ms: the task's estimate (its slowest recent run) must fit in it, which a noisy machine can push past the default.
      await using pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 1, busyPollUs: 20_000 });
      assert.equal(await turnsWhileOut(pool), true);
    });
  }

  it('does not turn for process workers once as many of them have tasks out as there are CPUs: it would take a CPU that a worker needs', async () => {
    await using pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime: 'process', threads: cpus, busyPollUs: 20_000 });
    await pool.ready;
    // spin is known to take 300 ms, longer than the window, so sending it starts no poll; add is known to be short.
    await pool.run('spin', 300);
    for (let index = 0; index < 20; index++) await pool.run('add', { a: index, b: 1 });
    await delay(100);
    // One 300 ms call on each worker but one, sent one at a time so that each goes to the worker with the least backlog.
    const long: Promise<number>[] = [];
    for (let index = 0; index < cpus - 1; index++) {
      long.push(pool.run('spin', 300));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(process.getActiveResourcesInfo().includes('Immediate'), false);
    // The short task goes to the last idle worker, which leaves no CPU to spare.
    const short = pool.run('add', { a: 1, b: 1 });
    await Promise.resolve();
    assert.equal(process.getActiveResourcesInfo().includes('Immediate'), false);
    assert.equal(await short, 2);
    await Promise.all(long);
  });
});
