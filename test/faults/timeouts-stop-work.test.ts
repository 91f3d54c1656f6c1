import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, waitFor, type FaultTasks } from './fault-helpers.js';

function elapsedSince(started: number): number {
  return performance.now() - started;
}

describe('timeouts stop work', () => {
  it('rejects a for(;;) task with a 300 ms timeout well before 1.5 s, and the next task succeeds within 3 s', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    const exits: string[] = [];
    pool.on('workerExit', ({ reason }) => exits.push(reason));
    try {
      const stuckThread = await pool.run('threadId');
      const started = performance.now();
      await assert.rejects(pool.run('spinForever', undefined, { timeout: 300 }), (error) => codeOf(error) === 'ERR_TASK_TIMEOUT');
      const rejectedAfterMs = elapsedSince(started);
      assert.ok(rejectedAfterMs >= 290 && rejectedAfterMs < 1_500, `the timeout rejected after ${Math.round(rejectedAfterMs)} ms`);

      const nextStarted = performance.now();
      const nextThread = await pool.run('threadId');
      assert.ok(elapsedSince(nextStarted) < 3_000, `the next task took ${Math.round(elapsedSince(nextStarted))} ms`);
      assert.notEqual(nextThread, stuckThread, 'the stuck worker was replaced');
      // Its replacement may answer before the terminated thread's exit is reported.
      await waitFor(() => exits.length > 0, 2_000, 'the stuck worker to exit');
      assert.deepEqual(exits, ['timeout']);
      const stats = pool.stats();
      assert.equal(stats.timedOut, 1);
      assert.equal(stats.workerCrashes, 0, 'ending a stuck worker is not a crash');
    } finally {
      await pool.destroy();
    }
  });

  it('counts the timeout from when the task starts, not from when it was queued', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      await pool.ready;
      const blocker = pool.run('sleep', 400);
      // Waits ~400 ms in line, then runs 150 ms: over 300 ms in all, but well within its run-time limit.
      const queuedFirst = pool.run('sleep', 150, { timeout: 300 });
      assert.equal(await blocker, 400);
      assert.equal(await queuedFirst, 150);
      assert.equal(pool.stats().timedOut, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('gives a task that stops when asked the grace period, and keeps its worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, abortGrace: 500 });
    let exits = 0;
    pool.on('workerExit', () => { exits++; });
    try {
      const thread = await pool.run('threadId');
      await assert.rejects(pool.run('sleepUntilAborted', 10_000, { timeout: 100 }), (error) => codeOf(error) === 'ERR_TASK_TIMEOUT');
      assert.equal(await pool.run('threadId'), thread, 'the same worker answers next');
      assert.equal(exits, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('stops a synchronous loop that polls throwIfAborted() on timeout, without ending its worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, abortGrace: 500 });
    let exits = 0;
    pool.on('workerExit', () => { exits++; });
    try {
      const thread = await pool.run('threadId');
      await assert.rejects(pool.run('spinUntilAborted', undefined, { timeout: 100 }), (error) => codeOf(error) === 'ERR_TASK_TIMEOUT');
      assert.equal(await pool.run('threadId'), thread, 'the loop stopped by itself and the same worker answers next');
      assert.equal(exits, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('rejects a task that waits in the queue past its queueTimeout with ERR_QUEUE_TIMEOUT, leaving the running one alone', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      await pool.ready;
      const running = pool.run('sleep', 400, { queueTimeout: 100 });
      const started = performance.now();
      await assert.rejects(pool.run('succeed', 1, { queueTimeout: 100 }), (error) => codeOf(error) === 'ERR_QUEUE_TIMEOUT');
      assert.ok(elapsedSince(started) < 350, `the queue timeout fired after ${Math.round(elapsedSince(started))} ms`);
      assert.equal(await running, 400, 'a running task is past its queue timeout');
    } finally {
      await pool.destroy();
    }
  });

  it('retries a timed-out task on a fresh worker when retries allow, and counts the attempt', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 1 });
    const counters = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    try {
      await pool.ready;
      await assert.rejects(pool.run('spinForever', undefined, { timeout: 100 }), (error) => codeOf(error) === 'ERR_TASK_TIMEOUT');
      const stats = pool.stats();
      assert.equal(stats.timedOut, 2, 'both attempts timed out');
      assert.equal(stats.retried, 1);
      assert.equal(await pool.run('countRun', { counters, index: 0 }), 1, 'the pool runs tasks afterwards');
    } finally {
      await pool.destroy();
    }
  });
});
