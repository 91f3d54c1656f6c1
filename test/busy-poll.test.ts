import assert from 'node:assert/strict';
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
