import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, waitFor, type FaultTasks } from './fault-helpers.js';

describe('errors and payloads survive the trip between threads', () => {
  it("keeps a thrown error's name, message, code, stack, custom properties and cause", async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      const error = await pool.run('throwRichError').then(
        () => assert.fail('the task should have thrown'),
        (reason: unknown) => reason as Error & { code?: unknown; field?: unknown; details?: unknown },
      );
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'ValidationError');
      assert.equal(error.message, 'the width is too large');
      assert.equal(error.code, 'E_VALIDATION');
      assert.equal(error.field, 'width');
      assert.deepEqual(error.details, { limit: 10, seen: [11, 12] });
      assert.match(error.stack ?? '', /ValidationError: the width is too large/);
      assert.match(error.stack ?? '', /throwRichError .*fault-tasks\.js/, 'the stack is the one from the worker');
      assert.ok(error.cause instanceof RangeError, 'the cause is rebuilt as a RangeError');
      assert.equal(error.cause.message, 'width 4096 > 2048');
    } finally {
      await pool.destroy();
    }
  });

  it('rejects a result that cannot be cloned with ERR_RESULT_NOT_CLONEABLE, and the same worker answers next', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    let exits = 0;
    pool.on('workerExit', () => { exits++; });
    try {
      const thread = await pool.run('threadId');
      const neighbours = [pool.run('succeed', 1), pool.run('returnNotCloneable'), pool.run('succeed', 2)];
      const [before, guilty, after] = await Promise.allSettled(neighbours);
      assert.deepEqual(before, { status: 'fulfilled', value: 1 });
      assert.equal(guilty?.status, 'rejected');
      assert.equal(codeOf(guilty.reason), 'ERR_RESULT_NOT_CLONEABLE');
      assert.deepEqual(after, { status: 'fulfilled', value: 2 }, 'a task sent along with the guilty one is unharmed');
      assert.equal(await pool.run('threadId'), thread, 'the same worker answers next');
      assert.equal(exits, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('rejects an argument that cannot be cloned with ERR_ARGUMENT_NOT_CLONEABLE, and the worker stays healthy', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    try {
      const thread = await pool.run('threadId');
      const notCloneable = { callback: () => 1 } as unknown as number;
      const outcomes = await Promise.allSettled([pool.run('succeed', 1), pool.run('succeed', notCloneable), pool.run('succeed', 3)]);
      assert.deepEqual(outcomes[0], { status: 'fulfilled', value: 1 });
      assert.equal(outcomes[1].status, 'rejected');
      assert.equal(codeOf(outcomes[1].reason), 'ERR_ARGUMENT_NOT_CLONEABLE');
      assert.deepEqual(outcomes[2], { status: 'fulfilled', value: 3 });
      await assert.rejects(pool.run('succeed', notCloneable), (error) => codeOf(error) === 'ERR_ARGUMENT_NOT_CLONEABLE');
      assert.equal(await pool.run('threadId'), thread, 'the same worker answers next');
    } finally {
      await pool.destroy();
    }
  });

  it('leaves the worker idle after a lone argument fails to clone, so idleTimeout still retires it', async () => {
    // A worker left marked busy keeps the host process alive and is never retired.
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: { min: 0, max: 1 }, idleTimeout: 50 });
    try {
      assert.equal(await pool.run('succeed', 0), 0, 'the worker is up and ready');
      const notCloneable = { callback: () => 1 } as unknown as number;
      await assert.rejects(pool.run('succeed', notCloneable), (error) => codeOf(error) === 'ERR_ARGUMENT_NOT_CLONEABLE');
      await waitFor(() => pool.stats().workers.total === 0, 2_000, 'the idle worker to be retired');
      assert.equal(await pool.run('succeed', 5), 5);
    } finally {
      await pool.destroy();
    }
  });
});
