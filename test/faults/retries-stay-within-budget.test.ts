import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, type FaultTasks } from './fault-helpers.js';

function runsOf(counters: SharedArrayBuffer, index = 0): number {
  return new Int32Array(counters)[index] ?? 0;
}

describe('retries stay within their budget', () => {
  it("does not retry a task's own error by default, even with retries left", async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 3 });
    const counters = new SharedArrayBuffer(4);
    try {
      await assert.rejects(pool.run('countRunThenThrow', { counters, index: 0, message: 'bad input' }), { message: 'bad input' });
      assert.equal(runsOf(counters), 1);
      assert.equal(pool.stats().retried, 0);
    } finally {
      await pool.destroy();
    }
  });

  it("retries a task's own error when retryOn says so, up to the budget, and counts the attempts", async () => {
    const seen: string[] = [];
    const pool = new Pool<FaultTasks>(faultTasksUrl, {
      threads: 1,
      retries: 2,
      retryOn: (error) => {
        seen.push(error.message);
        return error.message === 'flaky';
      },
    });
    const counters = new SharedArrayBuffer(8);
    try {
      await assert.rejects(pool.run('countRunThenThrow', { counters, index: 0, message: 'flaky' }), { message: 'flaky' });
      assert.equal(runsOf(counters, 0), 3, 'one run and two retries');
      assert.equal(pool.stats().retried, 2);
      await assert.rejects(pool.run('countRunThenThrow', { counters, index: 1, message: 'permanent' }), { message: 'permanent' });
      assert.equal(runsOf(counters, 1), 1, 'retryOn said no');
      assert.deepEqual(seen, ['flaky', 'flaky', 'permanent']);
    } finally {
      await pool.destroy();
    }
  });

  it('retries a worker death, and a per-call retries overrides the pool default', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, retries: 1 });
    const counters = new SharedArrayBuffer(8);
    try {
      await assert.rejects(pool.run('countRunThenExit', { counters, index: 0 }), (error) => codeOf(error) === 'ERR_WORKER_EXITED');
      assert.equal(runsOf(counters, 0), 2);
      await assert.rejects(pool.run('countRunThenExit', { counters, index: 1 }, { retries: 0 }), (error) => codeOf(error) === 'ERR_WORKER_EXITED');
      assert.equal(runsOf(counters, 1), 1);
      assert.equal(pool.stats().retried, 1);
    } finally {
      await pool.destroy();
    }
  });

  it('a retryOn that throws counts as "do not retry" and the task still settles', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, {
      threads: 1,
      retries: 2,
      retryOn: () => {
        throw new Error('a broken retryOn');
      },
    });
    const counters = new SharedArrayBuffer(4);
    try {
      await assert.rejects(pool.run('countRunThenExit', { counters, index: 0 }), (error) => codeOf(error) === 'ERR_WORKER_EXITED');
      assert.equal(runsOf(counters), 1);
    } finally {
      await pool.destroy();
    }
  });
});
