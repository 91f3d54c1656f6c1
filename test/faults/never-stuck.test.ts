import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool, transfer } from 'spindle';
import { codeOf, faultTasksUrl, type FaultTasks } from './fault-helpers.js';

const neverLoadsUrl = new URL('../fixtures/fault-load-never-finishes.js', import.meta.url);

/** Resolves with what `promise` settled to, or with 'pending' after `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([
    promise.then(
      (value) => ({ resolved: value }),
      (error: unknown) => ({ rejected: codeOf(error) }),
    ),
    new Promise((resolve) => setTimeout(resolve, ms, 'pending').unref()),
  ]);
}

describe('nothing hangs', () => {
  it('gives up on a module that never finishes loading after startTimeout: ready rejects naming the file, runs fail fast, close resolves', async () => {
    const pool = new Pool(neverLoadsUrl, { threads: 1, startTimeout: 300 });
    const started = performance.now();
    await assert.rejects(pool.ready, (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.match(error.message, /fault-load-never-finishes\.js/);
      assert.match(error.message, /startTimeout/);
      return true;
    });
    assert.ok(performance.now() - started < 2_000);
    assert.deepEqual(await within(pool.run('unreachable', undefined, { timeout: 100 }), 2_000), { rejected: 'ERR_POOL_DEGRADED' });
    assert.deepEqual(await within(pool.close(), 5_000), { resolved: undefined });
  });

  it('rejects pool.ready with ERR_POOL_CLOSED when the pool is closed before its workers have loaded', async () => {
    const pool = new Pool(faultTasksUrl, { threads: 2 });
    const closed = pool.close();
    assert.deepEqual(await within(pool.ready, 3_000), { rejected: 'ERR_POOL_CLOSED' });
    await closed;
  });

  it('rejects pool.ready with ERR_POOL_CLOSED when the pool is destroyed while its module is still loading', async () => {
    const pool = new Pool(neverLoadsUrl, { threads: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const destroyed = pool.destroy();
    assert.deepEqual(await within(pool.ready, 3_000), { rejected: 'ERR_POOL_CLOSED' });
    assert.deepEqual(await within(destroyed, 3_000), { resolved: undefined });
  });

  for (const how of ['remove-listeners', 'close'] as const) {
    it(`keeps serving after a task cuts its worker off parentPort (${how}), and close() resolves`, async () => {
      const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
      assert.equal(await pool.run('deafenParentPort', how), how);
      const results = await within(Promise.all(Array.from({ length: 10 }, (_, index) => pool.run('succeed', index, { timeout: 1_000 }))), 3_000);
      assert.deepEqual(results, { resolved: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
      assert.deepEqual(await within(pool.close(), 5_000), { resolved: undefined });
    });
  }

  it('replaces a worker whose event loop is blocked outside any task; the tasks sent to it run elsewhere, each once', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, unresponsiveTimeout: 300 });
    try {
      const exits: string[] = [];
      pool.on('workerExit', (info) => exits.push(info.reason));
      assert.equal(await pool.run('blockEventLoopSoon', undefined), 'returned');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const counters = new SharedArrayBuffer(40 * Int32Array.BYTES_PER_ELEMENT);
      const started = performance.now();
      const results = await within(Promise.all(Array.from({ length: 40 }, (_, index) => pool.run('countRun', { counters, index }, { timeout: 200 }))), 5_000);
      assert.notEqual(results, 'pending');
      assert.ok(!('rejected' in (results as object)), JSON.stringify(results));
      assert.ok(performance.now() - started < 3_000);
      assert.deepEqual([...new Set(new Int32Array(counters))], [1]);
      assert.deepEqual(exits, ['unresponsive']);
      assert.ok(pool.stats().takenBack >= 1, 'what was sent to the blocked worker was taken back');
    } finally {
      await pool.destroy();
    }
  });
});

describe('a retry never runs on moved buffers', () => {
  it('fails a transferred task whose worker died with ERR_TRANSFERRED_ARGUMENT_LOST instead of retrying it on an empty buffer', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 2 });
    try {
      const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
      const bytes = new ArrayBuffer(1024);
      const error = (await pool.run('measureThenExit', transfer({ counters, bytes }, [bytes])).catch((reason: unknown) => reason)) as Error & { code?: string; cause?: { code?: string } };
      assert.equal(error.code, 'ERR_TRANSFERRED_ARGUMENT_LOST');
      assert.equal(error.cause?.code, 'ERR_WORKER_EXITED');
      const seen = new Int32Array(counters);
      assert.equal(seen[0], 1, 'the task ran once');
      assert.equal(seen[1], 1024, 'on the whole buffer');
      assert.equal(pool.stats().retried, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('still retries a task whose argument was copied, on the same bytes', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 1 });
    try {
      const counters = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
      await assert.rejects(pool.run('measureThenExit', { counters, bytes: new ArrayBuffer(1024) }), { code: 'ERR_WORKER_EXITED' });
      assert.deepEqual([...new Int32Array(counters)].slice(0, 3), [2, 1024, 1024]);
    } finally {
      await pool.destroy();
    }
  });
});
