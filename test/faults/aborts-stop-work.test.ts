import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, waitFor, type FaultTasks } from './fault-helpers.js';

function isAbortedWith(reason: unknown) {
  return (error: unknown): boolean => codeOf(error) === 'ERR_TASK_ABORTED' && (error as { cause?: unknown }).cause === reason;
}

describe('aborts stop work without harming other tasks', () => {
  it('removes a queued task at once, rejecting ERR_TASK_ABORTED with the reason as cause, and never runs it', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    const counters = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    try {
      await pool.ready;
      const blocker = pool.run('sleep', 400);
      // Should an assertion below fail, destroy() rejects the blocker: that must not hide which one did.
      blocker.catch(() => undefined);
      const controller = new AbortController();
      const queued = pool.run('countRun', { counters, index: 0 }, { signal: controller.signal });
      const reason = new Error('the caller went away');
      const started = performance.now();
      controller.abort(reason);
      await assert.rejects(queued, isAbortedWith(reason));
      // At once: well before the 400 ms task ahead of it ends (generous for a loaded machine).
      assert.ok(performance.now() - started < 200, `a queued task rejects at once, not after ${String(Math.round(performance.now() - started))} ms`);
      assert.equal(pool.stats().queued, 0);
      assert.equal(await blocker, 400);
      await pool.onIdle();
      assert.equal(new Int32Array(counters)[0], 0, 'the aborted task never ran');
    } finally {
      await pool.destroy();
    }
  });

  it('rejects a running task that ignores the abort at once, replaces its worker after abortGrace, and leaves the neighbour alone', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, abortGrace: 100 });
    const exits: string[] = [];
    pool.on('workerExit', ({ reason }) => exits.push(reason));
    try {
      await pool.ready;
      const controller = new AbortController();
      const stuck = pool.run('spinForever', undefined, { signal: controller.signal });
      const neighbour = pool.run('sleep', 400);
      await waitFor(() => pool.stats().workers.busy === 2, 1_000, 'both workers busy');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reason = 'user pressed cancel';
      const started = performance.now();
      controller.abort(reason);
      await assert.rejects(stuck, isAbortedWith(reason));
      assert.ok(performance.now() - started < 50, 'the caller does not wait for the worker');
      await waitFor(() => exits.length === 1, 1_000, 'the stuck worker to be ended');
      assert.ok(performance.now() - started >= 90, 'the worker had its grace period first');
      assert.deepEqual(exits, ['abort']);
      assert.equal(await neighbour, 400, 'the task on the other worker finished normally');
      await waitFor(() => pool.stats().workers.idle === 2, 10_000, 'the pool back at its size');
      assert.equal(pool.stats().aborted, 1);
    } finally {
      await pool.destroy();
    }
  });

  it('lets a running task see the abort inside the worker and stop by itself, keeping the worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    let exits = 0;
    pool.on('workerExit', () => { exits++; });
    try {
      const thread = await pool.run('threadId');
      const controller = new AbortController();
      const running = pool.run('sleepUntilAborted', 10_000, { signal: controller.signal });
      await waitFor(() => pool.stats().workers.busy === 1, 1_000, 'the task to start');
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await assert.rejects(running, (error) => codeOf(error) === 'ERR_TASK_ABORTED');
      assert.equal(await pool.run('threadId'), thread, 'the same worker answers next');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(exits, 0, 'no worker was ended');
    } finally {
      await pool.destroy();
    }
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      const reason = new Error('too late');
      await assert.rejects(pool.run('succeed', 1, { signal: AbortSignal.abort(reason) }), isAbortedWith(reason));
      assert.equal(pool.stats().submitted, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('aborting half of 2,000 tasks at random never fails any of the others, and each task runs at most once', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2 });
    const count = 2_000;
    const counters = new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
    try {
      await pool.ready;
      const controllers = Array.from({ length: count }, () => new AbortController());
      const runs = controllers.map((controller, index) =>
        pool.run('countRun', { counters, index }, { signal: controller.signal }).then(
          () => 'resolved',
          (error: unknown) => codeOf(error),
        ),
      );
      const aborted = new Set<number>();
      while (aborted.size < count / 2) {
        const index = Math.floor(Math.random() * count);
        aborted.add(index);
        controllers[index]?.abort();
        if (aborted.size % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const outcomes = await Promise.all(runs);
      const runsPerTask = new Int32Array(counters);
      outcomes.forEach((outcome, index) => {
        assert.ok((runsPerTask[index] ?? 0) <= 1, `task ${index} ran ${runsPerTask[index]} times`);
        if (aborted.has(index)) assert.ok(outcome === 'resolved' || outcome === 'ERR_TASK_ABORTED', `aborted task ${index}: ${String(outcome)}`);
        else {
          assert.equal(outcome, 'resolved', `task ${index}, never aborted, ended with ${String(outcome)}`);
          assert.equal(runsPerTask[index], 1);
        }
      });
      assert.equal(pool.stats().workerCrashes, 0);
    } finally {
      await pool.destroy();
    }
  });
});
