import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, waitFor, type FaultTasks } from './fault-helpers.js';

const CRASHES = 50;
const NORMAL_TASKS = 1_000;
/** Generous: a replacement starts in tens of ms, but more than 1 s was seen at a load average of 20 on 2 cores. */
const RESTORE_LIMIT_MS = 3_000;

async function crashOnce(pool: Pool<FaultTasks>): Promise<void> {
  await assert.rejects(pool.run('exitProcess', 1), (error) => codeOf(error) === 'ERR_WORKER_EXITED');
}

async function runNormalTasks(pool: Pool<FaultTasks>): Promise<void> {
  const results = await Promise.all(Array.from({ length: NORMAL_TASKS }, (_, index) => pool.run('succeed', index)));
  assert.deepEqual(results, Array.from({ length: NORMAL_TASKS }, (_, index) => index));
}

describe('the pool is restored to its size after each crash', () => {
  it('has 2 ready workers again within 3 s of each of 50 crashes in a row, then runs 1,000 tasks', async (context) => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2 });
    let workerStarts = 0;
    pool.on('workerStart', () => { workerStarts++; });
    try {
      await pool.ready;
      let slowestMs = 0;
      for (let crash = 0; crash < CRASHES; crash++) {
        await crashOnce(pool);
        const tookMs = await waitFor(() => pool.stats().workers.idle === 2, RESTORE_LIMIT_MS, `2 ready workers after crash ${crash + 1}`);
        slowestMs = Math.max(slowestMs, tookMs);
        assert.equal(pool.stats().workers.total, 2, 'never more workers than the pool size');
      }
      assert.equal(workerStarts, 2 + CRASHES, 'a workerStart event for the first two workers and for each replacement');
      const stats = pool.stats();
      assert.equal(stats.state, 'running');
      assert.equal(stats.workerCrashes, CRASHES);
      assert.equal(stats.workersStarted, 2 + CRASHES, 'one replacement per crash');
      context.diagnostic(`slowest return to 2 ready workers after a crash: ${Math.round(slowestMs)} ms`);
      assert.ok(slowestMs < RESTORE_LIMIT_MS);
      await runNormalTasks(pool);
    } finally {
      await pool.destroy();
    }
  });

  it('a dynamic pool with min = 0 keeps serving after each of 50 crashes, within its maximum', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: { min: 0, max: 2 } });
    let workerStarts = 0;
    let mostWorkers = 0;
    pool.on('workerStart', () => {
      workerStarts++;
      mostWorkers = Math.max(mostWorkers, pool.stats().workers.total);
    });
    try {
      await pool.ready;
      for (let crash = 0; crash < CRASHES; crash++) {
        await crashOnce(pool);
        assert.equal(pool.stats().state, 'running', `the pool is not degraded after crash ${crash + 1}`);
        const started = performance.now();
        assert.equal(await pool.run('succeed', crash), crash);
        assert.ok(performance.now() - started < RESTORE_LIMIT_MS, `a task after crash ${crash + 1} waited ${Math.round(performance.now() - started)} ms`);
      }
      assert.ok(mostWorkers <= 2, `the pool grew to ${mostWorkers} workers`);
      assert.equal(pool.stats().workerCrashes, CRASHES);
      assert.ok(workerStarts >= CRASHES, 'every crashed worker was replaced when work arrived');
      await runNormalTasks(pool);
    } finally {
      await pool.destroy();
    }
  });
});
