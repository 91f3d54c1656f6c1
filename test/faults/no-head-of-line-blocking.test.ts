import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, type FaultTasks } from './fault-helpers.js';

const TINY_TASKS = 39;

/** Teaches the pool that `holdFor` and `countRunQuick` are fast, so that they travel many to a message. */
async function teachFast(pool: Pool<FaultTasks>): Promise<void> {
  await pool.ready;
  const scratch = new SharedArrayBuffer(4);
  for (let round = 0; round < 50; round++) {
    await Promise.all([pool.run('holdFor', 0), pool.run('holdFor', 0), pool.run('countRunQuick', { counters: scratch, index: 0 }), pool.run('countRunQuick', { counters: scratch, index: 0 })]);
  }
}

/** Submits one call that turns out slow and TINY_TASKS tiny ones in the same synchronous burst, so they share batches. */
function burstBehindASlowCall(pool: Pool<FaultTasks>, slowMs: number, options: { readonly queueTimeout?: number; readonly timeout?: number } = {}) {
  const counters = new SharedArrayBuffer(TINY_TASKS * Int32Array.BYTES_PER_ELEMENT);
  const started = performance.now();
  const slow = pool.run('holdFor', slowMs);
  const tiny = Array.from({ length: TINY_TASKS }, (_, index) =>
    pool.run('countRunQuick', { counters, index }, options).then(
      () => ({ outcome: 'resolved', atMs: performance.now() - started }),
      (error: unknown) => ({ outcome: String(codeOf(error)), atMs: performance.now() - started }),
    ),
  );
  return { slow, tiny: Promise.all(tiny), runs: () => [...new Int32Array(counters)] };
}

describe('no task waits behind a slow call in a batch', () => {
  it('takes back the tiny tasks batched behind a call that overran its estimate, and an idle worker runs each of them once', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2 });
    try {
      await teachFast(pool);
      const { slow, tiny, runs } = burstBehindASlowCall(pool, 1_500);
      const settled = await tiny;
      assert.ok(settled.every((task) => task.outcome === 'resolved'), JSON.stringify(settled));
      const latest = Math.max(...settled.map((task) => task.atMs));
      assert.ok(latest < 750, `the last tiny task finished after ${latest.toFixed(0)} ms, behind the 1,500 ms call`);
      assert.deepEqual([...new Set(runs())], [1], 'each tiny task ran exactly once');
      assert.ok(pool.stats().takenBack > 0, 'some tasks were taken back');
      assert.equal(await slow, 'held');
    } finally {
      await pool.destroy();
    }
  });

  it('counts queueTimeout until a task starts, even while it waits inside a worker behind a slow call', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      await teachFast(pool);
      const { slow, tiny, runs } = burstBehindASlowCall(pool, 1_500, { queueTimeout: 300 });
      const settled = await tiny;
      assert.ok(settled.every((task) => task.outcome === 'ERR_QUEUE_TIMEOUT'), JSON.stringify(settled));
      const latest = Math.max(...settled.map((task) => task.atMs));
      assert.ok(latest < 1_000, `the last queue timeout came after ${latest.toFixed(0)} ms`);
      assert.deepEqual([...new Set(runs())], [0], 'no task that timed out in the queue ever ran');
      assert.equal(await slow, 'held');
    } finally {
      await pool.destroy();
    }
  });

  it('settles a task with timeout and queueTimeout that waits behind an endless call, instead of leaving it pending', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      await teachFast(pool);
      await Promise.all([pool.run('spinIf', false), pool.run('spinIf', false)]);
      const endless = pool.run('spinIf', true, { timeout: 2_000 });
      const started = performance.now();
      const behind = await pool.run('countRunQuick', { counters: new SharedArrayBuffer(4), index: 0 }, { timeout: 200, queueTimeout: 200 }).then(
        () => 'resolved',
        (error: unknown) => String(codeOf(error)),
      );
      const elapsedMs = performance.now() - started;
      assert.equal(behind, 'ERR_QUEUE_TIMEOUT');
      assert.ok(elapsedMs < 1_500, `settled after ${elapsedMs.toFixed(0)} ms`);
      await assert.rejects(endless, { code: 'ERR_TASK_TIMEOUT' });
    } finally {
      await pool.destroy();
    }
  });

  it('runs each of 3,000 tasks exactly once while calls keep overrunning and their neighbours are taken back', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2 });
    try {
      await teachFast(pool);
      const counters = new SharedArrayBuffer(3_000 * Int32Array.BYTES_PER_ELEMENT);
      const tasks: Promise<unknown>[] = [];
      for (let index = 0; index < 3_000; index++) {
        if (index % 250 === 0) tasks.push(pool.run('holdFor', 40));
        tasks.push(pool.run('countRunQuick', { counters, index }));
        if (index % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(tasks);
      assert.deepEqual([...new Set(new Int32Array(counters))], [1]);
      const stats = pool.stats();
      assert.equal(stats.completed, stats.submitted);
    } finally {
      await pool.destroy();
    }
  });
});
