import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SpindleError } from 'spindle';
import { openQueuePool, redisForThisSuite, startNode, uniqueQueue } from './fleet-helpers.js';

describe('timeouts across the queue', { timeout: 120_000 }, () => {
  const redis = redisForThisSuite();
  const scratch = mkdtempSync(join(tmpdir(), 'spindle-fleet-timeouts-'));
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('timeout limits the run time on the node: the call rejects with ERR_TASK_TIMEOUT and the task is stopped', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('timeout');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const startedAt = Date.now();
    await assert.rejects(fleet.run('sleep', 5_000, { timeout: 200 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_TASK_TIMEOUT');
      assert.equal(error.name, 'TaskTimeoutError');
      assert.equal(error.message, 'The task ran longer than its timeout of 200 ms');
      assert.ok(SpindleError.is(error) && error instanceof SpindleError, 'a Spindle code arrives as a SpindleError');
      return true;
    });
    assert.ok(Date.now() - startedAt < 3_000, `rejected after ${Date.now() - startedAt} ms, long before the task would have ended`);
    assert.equal(node.pool.stats().timedOut, 1);
    assert.equal(await fleet.run('square', 3), 9, 'the node goes on');
  });

  it('timeout counts from the start on the node, not from the call: a job that waited longer than its timeout still completes', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('timeout-start');
    await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const blocker = fleet.run('sleep', 600);
    const waited = fleet.run('sleep', 10, { timeout: 300 });
    assert.deepEqual(await Promise.all([blocker, waited]), [600, 10]);
  });

  it('queueTimeout removes a job that waited too long: the call rejects with ERR_QUEUE_TIMEOUT and the job never runs', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('queue-timeout');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const started: string[] = [];
    node.served.worker.on('active', (job) => started.push(job.name));
    const fleet = await openQueuePool(redis.url, queue);
    const blocker = fleet.run('sleep', 800);
    await once(node.served.worker, 'active');
    await assert.rejects(fleet.run('square', 5, { queueTimeout: 200 }), { code: 'ERR_QUEUE_TIMEOUT', message: 'The task waited in the queue longer than 200 ms' });
    assert.equal(await blocker, 800);
    const counts = await fleet.queue.getJobCounts('prioritized', 'wait', 'completed');
    assert.deepEqual(counts, { prioritized: 0, wait: 0, completed: 1 });
    assert.deepEqual(started, ['sleep']);
  });

  it('a job whose attempt timed out is retried while retries remain, on the next attempt under the same limit', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('timeout-retry');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const attempt = await fleet.run('slowFirst', { counter: join(scratch, 'slow-first'), ms: 5_000 }, { timeout: 200, retries: 1 });
    assert.equal(attempt, 2);
    assert.equal(node.pool.stats().timedOut, 1);
    await assert.rejects(fleet.run('slowFirst', { counter: join(scratch, 'slow-first-no-retry'), ms: 5_000 }, { timeout: 200 }), { code: 'ERR_TASK_TIMEOUT' });
  });
});
