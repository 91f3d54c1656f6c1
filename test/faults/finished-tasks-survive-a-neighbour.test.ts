import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, type FaultTasks } from './fault-helpers.js';

const FINISHED_TASKS = 40;

const SMALL_HEAP = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 };

/**
 * Teaches the pool that `exitIf`, `spinIf` and `allocateIf` are fast, so that they travel
 * in one batch with FINISHED_TASKS counting tasks, then makes the last task
 * of the batch kill or hang its worker.
 */
async function batchBehindAFault(pool: Pool<FaultTasks>, fault: () => Promise<unknown>): Promise<{ outcomes: Record<string, number>; runs: number[] }> {
  await pool.ready;
  for (let round = 0; round < 50; round++) {
    await Promise.all([
      pool.run('exitIf', null),
      pool.run('spinIf', false),
      pool.run('allocateIf', false),
      pool.run('countRun', { counters: new SharedArrayBuffer(4), index: 0 }),
    ]);
  }
  const counters = new SharedArrayBuffer(FINISHED_TASKS * Int32Array.BYTES_PER_ELEMENT);
  const finished = Array.from({ length: FINISHED_TASKS }, (_, index) =>
    pool.run('countRun', { counters, index }).then(
      () => 'resolved',
      (error: unknown) => String(codeOf(error)),
    ),
  );
  await assert.rejects(fault());
  const outcomes: Record<string, number> = {};
  for (const outcome of await Promise.all(finished)) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  return { outcomes, runs: [...new Set(new Int32Array(counters))] };
}

describe('tasks that finished survive a neighbour that kills the worker', () => {
  it('a task that hangs and times out does not fail the tasks that ran before it on the same worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      const { outcomes, runs } = await batchBehindAFault(pool, () => pool.run('spinIf', true, { timeout: 100 }));
      assert.deepEqual(runs, [1], 'each ran once');
      assert.deepEqual(outcomes, { resolved: FINISHED_TASKS });
    } finally {
      await pool.destroy();
    }
  });

  it('a task that calls process.exit does not fail the tasks that ran before it on the same worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      const { outcomes, runs } = await batchBehindAFault(pool, () => pool.run('exitIf', 1));
      assert.deepEqual(runs, [1], 'each ran once');
      assert.deepEqual(outcomes, { resolved: FINISHED_TASKS });
    } finally {
      await pool.destroy();
    }
  });

  it('a task that runs out of memory does not fail the tasks that ran before it on the same worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, resourceLimits: SMALL_HEAP });
    try {
      const { outcomes, runs } = await batchBehindAFault(pool, () => pool.run('allocateIf', true));
      assert.deepEqual(runs, [1], 'each ran once');
      assert.deepEqual(outcomes, { resolved: FINISHED_TASKS });
    } finally {
      await pool.destroy();
    }
  });

  it('with retries, a task that finished before its neighbour ran out of memory is not run again', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 1, resourceLimits: SMALL_HEAP });
    try {
      const { outcomes, runs } = await batchBehindAFault(pool, () => pool.run('allocateIf', true));
      assert.deepEqual(runs, [1], 'each finished task ran exactly once');
      assert.deepEqual(outcomes, { resolved: FINISHED_TASKS });
      assert.equal(pool.stats().retried, 1, 'only the task that ran out of memory was retried');
    } finally {
      await pool.destroy();
    }
  });
});
