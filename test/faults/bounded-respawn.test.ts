import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, delay, loadThrowsUrl, loadWhileFlaggedUrl, waitFor } from './fault-helpers.js';

const CRASH_LOOP_MS = 10_000;
const MOST_SPAWNS = 15;

/**
 * Submits a task to a degraded pool and reports how long the rejection took and whether it came
 * within the same turn of the event loop: before a setImmediate queued at submission, so before any
 * timer, I/O or worker message could have been waited for. The wall-clock figure is only reported
 * (a loaded CI machine once took 13 ms for a rejection that was already in the same turn).
 */
async function timeRejection(pool: Pool): Promise<{ ms: number; sameTurn: boolean }> {
  const started = performance.now();
  let turnEnded = false;
  setImmediate(() => { turnEnded = true; });
  await assert.rejects(pool.run('succeed', 1), (error) => codeOf(error) === 'ERR_POOL_DEGRADED');
  return { ms: performance.now() - started, sameTurn: !turnEnded };
}

describe('a module that fails to load is respawned with bounded back-off', () => {
  it('spawns at most ~15 workers in 10 s of a crash loop, reports degraded, and fails submissions at once, within the same turn of the event loop', async (context) => {
    const pool = new Pool(loadThrowsUrl, { threads: 2 });
    const degradedErrors: Error[] = [];
    const failedStartsAt: number[] = [];
    const started = performance.now();
    pool.on('degraded', ({ error }) => degradedErrors.push(error));
    pool.on('workerExit', ({ reason }) => {
      if (reason === 'load-failed') failedStartsAt.push(performance.now() - started);
    });
    try {
      await assert.rejects(pool.ready, (error) => codeOf(error) === 'ERR_WORKER_START_FAILED');
      await waitFor(() => degradedErrors.length > 0, 2_000, 'the degraded event');
      let slowestRejectionMs = 0;
      let rejections = 0;
      while (performance.now() - started < CRASH_LOOP_MS) {
        assert.equal(pool.stats().state, 'degraded');
        const rejection = await timeRejection(pool);
        assert.ok(rejection.sameTurn, `rejection ${String(rejections)} waited past the turn it was submitted in (${rejection.ms.toFixed(1)} ms)`);
        slowestRejectionMs = Math.max(slowestRejectionMs, rejection.ms);
        rejections++;
        await delay(250);
      }
      const stats = pool.stats();
      assert.equal(degradedErrors.length, 1, 'one degraded event for the whole episode');
      assert.equal(codeOf(degradedErrors[0]), 'ERR_WORKER_START_FAILED');
      assert.ok(stats.workerStartFailures <= MOST_SPAWNS, `${stats.workerStartFailures} spawns in ${CRASH_LOOP_MS} ms: ${failedStartsAt.map(Math.round).join(', ')}`);
      assert.ok(stats.workerStartFailures >= 5, `the pool gave up after ${stats.workerStartFailures} spawns`);
      assert.equal(stats.workersStarted, 0);
      assert.ok(rejections >= 20, `only ${String(rejections)} submissions were tried`);
      const gaps = failedStartsAt.slice(1).map((at, index) => at - (failedStartsAt[index] ?? 0));
      context.diagnostic(`${stats.workerStartFailures} failed starts in ${CRASH_LOOP_MS} ms, gaps ${gaps.map(Math.round).join(', ')} ms; slowest rejection ${slowestRejectionMs.toFixed(2)} ms`);
      assert.ok((gaps.at(-1) ?? 0) >= 1_000, `the back-off grows: gaps between failed starts were ${gaps.map(Math.round).join(', ')} ms`);
    } finally {
      await pool.destroy();
    }
  });

  it('recovers once the module loads again: a recovered event, then it runs tasks at full size', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'spindle-fault-'));
    const flagFile = join(directory, 'fail-to-load');
    writeFileSync(flagFile, 'while this file exists the task module throws at load');
    const pool = new Pool<typeof import('../fixtures/fault-load-while-flagged.js')>(loadWhileFlaggedUrl, {
      threads: 2,
      env: { SPINDLE_FAULT_FLAG_FILE: flagFile },
    });
    let degraded = 0;
    let recovered = 0;
    pool.on('degraded', () => { degraded++; });
    pool.on('recovered', () => { recovered++; });
    try {
      await assert.rejects(pool.ready, (error) => codeOf(error) === 'ERR_WORKER_START_FAILED');
      await waitFor(() => pool.stats().workerStartFailures >= 4, 3_000, 'a few failed starts');
      assert.equal(degraded, 1);
      assert.equal(pool.stats().state, 'degraded');
      await assert.rejects(pool.run('succeed', 1), (error) => codeOf(error) === 'ERR_POOL_DEGRADED');

      rmSync(flagFile);
      await waitFor(() => recovered > 0, 5_000, 'the recovered event');
      assert.equal(pool.stats().state, 'running');
      assert.equal(await pool.run('succeed', 42), 42);
      await waitFor(() => pool.stats().workers.idle === 2, 5_000, 'both workers ready');
      const results = await Promise.all(Array.from({ length: 100 }, (_, index) => pool.run('succeed', index)));
      assert.equal(results.length, 100);
      assert.equal(recovered, 1);
      assert.equal(degraded, 1);
    } finally {
      await pool.destroy();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a close() that meets a module no longer loading rejects the queued tasks ERR_POOL_DEGRADED and resolves', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'spindle-fault-'));
    const flagFile = join(directory, 'fail-to-load');
    const pool = new Pool<typeof import('../fixtures/fault-load-while-flagged.js')>(loadWhileFlaggedUrl, {
      threads: 1,
      env: { SPINDLE_FAULT_FLAG_FILE: flagFile },
    });
    try {
      await pool.ready;
      const running = pool.run('sleep', 100);
      const crash = pool.run('exitProcess', 1);
      const queued = Array.from({ length: 3 }, (_, index) => pool.run('succeed', index));
      writeFileSync(flagFile, 'from now on, replacement workers fail to load');
      const closed = pool.close();
      assert.equal(await running, 100);
      await assert.rejects(crash, (error) => codeOf(error) === 'ERR_WORKER_EXITED');
      for (const task of queued) await assert.rejects(task, (error) => codeOf(error) === 'ERR_POOL_DEGRADED');
      await closed;
      assert.equal(pool.stats().state, 'closed');
    } finally {
      await pool.destroy();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
