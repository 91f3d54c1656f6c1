import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { openQueuePool, redisForThisSuite, startNode, uniqueQueue, waitUntil } from './fleet-helpers.js';

describe('cancellation across the queue', { timeout: 120_000 }, () => {
  const redis = redisForThisSuite();

  it('an aborted signal removes a job that still waits: the call rejects with ERR_TASK_ABORTED at once and no node ever runs the job', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('abort-waiting');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const started: string[] = [];
    node.served.worker.on('active', (job) => started.push(job.name));
    const fleet = await openQueuePool(redis.url, queue);
    const blocker = fleet.run('sleep', 600);
    await once(node.served.worker, 'active');
    const controller = new AbortController();
    const waiting = fleet.run('square', 3, { signal: controller.signal });
        await waitUntil(async () => (await fleet.queue.getJobCounts('prioritized')).prioritized === 1, 'the job to be added');
    const abortedAt = Date.now();
    controller.abort(new Error('the user left'));
    await assert.rejects(waiting, (error: Error & { code?: string; cause?: Error }) => error.code === 'ERR_TASK_ABORTED' && error.cause?.message === 'the user left');
    assert.ok(Date.now() - abortedAt < 200, 'rejected at once, not when the job would have run');
    await waitUntil(async () => (await fleet.queue.getJobCounts('prioritized')).prioritized === 0, 'the waiting job to be removed');
    assert.equal(await blocker, 600);
    await fleet.onIdle();
    await node.served.close();
    assert.deepEqual(started, ['sleep'], 'the node ran only the job that was not aborted');
    assert.deepEqual({ ...fleet.stats().failedByCode }, { ERR_TASK_ABORTED: 1 });
    await fleet.close();
  });

  it('an aborted signal cancels a running job on its node: the task stops, and the job fails with ERR_TASK_ABORTED without a retry', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('abort-running');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const controller = new AbortController();
    const running = fleet.run('untilAborted', undefined, { signal: controller.signal, retries: 3 });
    await once(node.served.worker, 'active');
    const failed = once(node.served.worker, 'failed') as Promise<[Job, Error]>;
    controller.abort('changed my mind');
    await assert.rejects(running, { code: 'ERR_TASK_ABORTED' });
    const [job, error] = await failed;
    assert.equal(error.message, 'TaskAbortedError [ERR_TASK_ABORTED]: The task was aborted: cancelled by its producer: changed my mind');
    assert.equal(job.attemptsMade, 1, 'a cancelled job is not retried, though it had attempts left');
    assert.equal(await job.getState(), 'failed');
    assert.equal(await fleet.run('square', 2), 4, 'the node goes on with the next job');
    assert.equal(node.pool.stats().workerCrashes, 0, 'the task stopped by itself: no worker was ended');
    await fleet.close();
    await node.served.close();
  });

  it("BullMQ's own worker.cancelJob() on the node aborts the Spindle task, and the producer's call rejects with ERR_TASK_ABORTED", { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('cancel-job');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const running = fleet.run('untilAborted', undefined, { retries: 2 });
    const [job] = (await once(node.served.worker, 'active')) as [Job];
    // 'active' comes when BullMQ takes the job, a moment before it hands it to the processor.
    await waitUntil(() => node.pool.stats().running === 1, 'the task to run');
    assert.equal(node.served.worker.cancelJob(job.id ?? '', 'cancelled by the operator'), true);
    await assert.rejects(running, (error: Error & { code?: string }) => error.code === 'ERR_TASK_ABORTED' && error.message === 'The task was aborted: cancelled by the operator');
    assert.equal(node.pool.stats().aborted, 1);
    await fleet.close();
    await node.served.close();
  });

  it('leaving a map() loop early withdraws the jobs still in flight: the waiting ones are removed, the running one cancelled', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('map-break');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const started: number[] = [];
    node.served.worker.on('active', (job) => started.push(job.data as number));
    const fleet = await openQueuePool(redis.url, queue);
    for await (const ms of fleet.map([50, 400, 400, 400, 400, 400, 400, 400], 'sleep', { concurrency: 4 })) {
      assert.equal(ms, 50);
      break;
    }
    await fleet.onIdle();
    await waitUntil(async () => {
      const counts = await fleet.queue.getJobCounts('active', 'prioritized', 'wait');
      return (counts.active ?? 0) + (counts.prioritized ?? 0) + (counts.wait ?? 0) === 0;
    }, 'the queue to be empty');
    assert.ok(started.length <= 2, `the node started ${started.length} jobs: the first, and at most the one running when the loop ended`);
    assert.equal(fleet.stats().completed, 1);
    await fleet.close();
    await node.served.close();
  });
});
