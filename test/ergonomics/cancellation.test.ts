import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool, type WorkerExitInfo } from 'spindle';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const tasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);

async function onePoolWatchingExits(options: { abortGrace?: number } = {}): Promise<{ pool: Pool<Tasks>; exits: WorkerExitInfo[] }> {
  const pool = new Pool<Tasks>(tasks, { threads: 1, abortGrace: 2_000, ...options });
  const exits: WorkerExitInfo[] = [];
  pool.on('workerExit', (info) => exits.push(info));
  await pool.ready;
  return { pool, exits };
}

describe('cooperative cancellation', () => {
  it('keeps the worker of a synchronous task that stops at throwIfAborted() when the caller aborts', async () => {
    const { pool, exits } = await onePoolWatchingExits();
    const before = await pool.run('threadId');
    const controller = new AbortController();
    const running = pool.run('spinUntilAborted', undefined, { signal: controller.signal });
    setTimeout(() => {
      controller.abort(new Error('no longer needed'));
    }, 50);
    await assert.rejects(running, (error: Error & { code?: string; cause?: unknown }) => {
      assert.equal(error.code, 'ERR_TASK_ABORTED');
      assert.equal((error.cause as Error).message, 'no longer needed');
      return true;
    });
    assert.equal(await pool.run('threadId'), before);
    assert.equal(pool.stats().workerCrashes, 0);
    assert.equal(pool.stats().workersStarted, 1);
    assert.deepEqual(exits, []);
    await pool.close();
  });

  it('keeps the worker of an asynchronous task that stops on context.signal', async () => {
    const { pool, exits } = await onePoolWatchingExits();
    const before = await pool.run('threadId');
    const controller = new AbortController();
    const running = pool.run('waitUntilAborted', undefined, { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 20);
    await assert.rejects(running, { code: 'ERR_TASK_ABORTED' });
    assert.equal(await pool.run('threadId'), before);
    assert.equal(pool.stats().workersStarted, 1);
    assert.deepEqual(exits, []);
    await pool.close();
  });

  it('keeps the worker of a cooperative task that runs past its timeout', async () => {
    const { pool, exits } = await onePoolWatchingExits();
    const before = await pool.run('threadId');
    await assert.rejects(pool.run('spinUntilAborted', undefined, { timeout: 50 }), { code: 'ERR_TASK_TIMEOUT' });
    assert.equal(await pool.run('threadId'), before);
    assert.equal(pool.stats().workerCrashes, 0);
    assert.deepEqual(exits, []);
    await pool.close();
  });

  it('lets close() wait for a worker still finishing a task that ignored its abort', async () => {
    const { pool, exits } = await onePoolWatchingExits({ abortGrace: 5_000 });
    const controller = new AbortController();
    const running = pool.run('spin', 300, { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 20);
    await assert.rejects(running, { code: 'ERR_TASK_ABORTED' });
    // Nothing but the worker keeps the event loop alive now: close() must still resolve.
    await pool.close();
    assert.deepEqual(
      exits.map((exit) => exit.reason),
      ['close'],
    );
  });

  it('replaces the worker of a task that ignores the abort past abortGrace', async () => {
    const { pool, exits } = await onePoolWatchingExits({ abortGrace: 50 });
    const before = await pool.run('threadId');
    const controller = new AbortController();
    const running = pool.run('spin', 3_000, { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 50);
    await assert.rejects(running, { code: 'ERR_TASK_ABORTED' });
    assert.notEqual(await pool.run('threadId'), before);
    // The replacement may answer before the old thread has finished exiting (on a loaded machine it did).
    const started = performance.now();
    while (exits.length === 0 && performance.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(
      exits.map((exit) => exit.reason),
      ['abort'],
    );
    await pool.close();
  });
});
