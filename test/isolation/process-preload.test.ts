import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'spindle';
import { fixture } from '../helpers.js';

type SlowLoadTasks = typeof import('../fixtures/slow-load-tasks.js');

/** A one-process pool whose module takes `loadMs` to load. */
function slowPool(loadMs: number, exitOnLoad = false): Pool<SlowLoadTasks> {
  return new Pool<SlowLoadTasks>(fixture('slow-load-tasks'), { threads: 1, runtime: 'process', workerData: { loadMs, exitOnLoad } });
}

describe("runtime: 'process': a task sent while the worker loads", () => {
  it('is sent to a process worker still loading its module, to wait there for it rather than in the queue', async () => {
    await using pool = slowPool(500);
    const result = pool.run('sleep', 1);
    await delay(100);
    const { queued, running, workers } = pool.stats();
    assert.deepEqual({ queued, running, starting: workers.starting }, { queued: 0, running: 1, starting: 1 });
    assert.equal(await result, 1);
  });

  it('counts its timeout from when it starts, not from when it was sent', async () => {
    await using pool = slowPool(500);
    // Sent at once, started once the worker is up (500 ms and a boot later), run for 250 ms. The deadline is
    // looked at 350 ms after the send (not started: looked at again 350 ms later) and at 700 ms, while it runs:
    // counted from the send, it would have passed then.
    assert.equal(await pool.run('sleep', 250, { timeout: 350 }), 250);
  });

  it('never runs when it is aborted before the worker is up', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'spindle-preload-'));
    const marker = join(directory, 'ran');
    try {
      await using pool = slowPool(500);
      const controller = new AbortController();
      const aborted = pool.run('mark', marker, { signal: controller.signal });
      await delay(100);
      assert.equal(pool.stats().running, 1, 'the task waits in the worker');
      controller.abort();
      await assert.rejects(aborted, { code: 'ERR_TASK_ABORTED' });
      // The worker is up and has read everything sent before this.
      assert.equal(await pool.run('sleep', 1), 1);
      assert.equal(existsSync(marker), false, 'the aborted task ran');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('is not sent to a loading worker that it would retire (maxTasksPerWorker: 1): each task runs in a fresh process', async () => {
    await using pool = new Pool<SlowLoadTasks>(fixture('slow-load-tasks'), { threads: 1, runtime: 'process', workerData: { loadMs: 0 }, maxTasksPerWorker: 1 });
    const pids = new Set<number>();
    for (let index = 0; index < 4; index++) pids.add(await pool.run('pid'));
    assert.equal(pids.size, 4);
    // Each ran on a worker taken for ready (one retired while it loaded would have its READY ignored).
    const { failed, workersStarted } = pool.stats();
    assert.deepEqual({ failed, workersStarted: workersStarted >= 4 }, { failed: 0, workersStarted: true }, `workersStarted ${String(workersStarted)}`);
  });

  it('is not sent to a loading worker when it has a queueTimeout, which then rejects it on time', async () => {
    await using pool = slowPool(1_500);
    const started = Date.now();
    const late = pool.run('sleep', 1, { queueTimeout: 200 });
    await delay(50);
    assert.equal(pool.stats().queued, 1, 'it waits in the queue');
    await assert.rejects(late, { code: 'ERR_QUEUE_TIMEOUT' });
    // Rejected at its deadline, not once the worker is up (1.5 s and a boot later) and has skipped it.
    assert.ok(Date.now() - started < 1_200, `rejected after ${String(Date.now() - started)} ms`);
  });

  it('is asked back when a task with a higher priority comes while the worker loads, so they run in priority order', async () => {
    await using pool = slowPool(500);
    const low = pool.run('count', undefined, { priority: 0 });
    await delay(100);
    assert.equal(pool.stats().running, 1, 'the first task waits in the worker');
    const high = pool.run('count', undefined, { priority: 5 });
    assert.deepEqual(await Promise.all([high, low]), [1, 2]);
    assert.equal(pool.stats().takenBack, 1);
  });

  it('goes back to the queue when the worker dies before it is up, and fails as queued tasks do then', async () => {
    const pool = slowPool(200, true);
    try {
      const sent = pool.run('sleep', 1);
      const queued = pool.run('sleep', 1);
      // Neither started: both fail with the pool's start failure, not as a crash of a running task.
      await assert.rejects(sent, { code: 'ERR_POOL_DEGRADED' });
      await assert.rejects(queued, { code: 'ERR_POOL_DEGRADED' });
      assert.equal(pool.stats().workerCrashes, 0);
    } finally {
      await pool.destroy();
    }
  });
});
