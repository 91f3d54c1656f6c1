import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { SpindleError } from 'spindle';
import { QueuePool } from 'spindle/bullmq';
import { openQueuePool, redisForThisSuite, startNode, uniqueQueue, waitUntil } from './fleet-helpers.js';

describe('failures across the queue', { timeout: 120_000 }, () => {
  const redis = redisForThisSuite();
  const scratch = mkdtempSync(join(tmpdir(), 'spindle-fleet-failures-'));
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it("a task's own error reaches the producer with its name, code, message and stack, and the job's failedReason says them", { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('task-error');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const fleet = await openQueuePool(redis.url, queue);
    const failed = once(node.served.worker, 'failed') as Promise<[Job, Error]>;
    await assert.rejects(fleet.run('fail', 'code'), (error: Error & { code?: string; jobId?: string }) => {
      assert.equal(error.constructor, Error);
      assert.equal(error.name, 'Error');
      assert.equal(error.code, 'E_CUSTOM');
      assert.equal(error.message, 'task failed');
      assert.match(error.stack ?? '', /^Error \[E_CUSTOM\]: task failed\n {4}at fail .*fixtures\/bullmq\/tasks\.js/);
      assert.equal(typeof error.jobId, 'string');
      assert.equal(SpindleError.is(error), false, "a task's own error is not a Spindle error, as from a local pool");
      return true;
    });
    const [job] = await failed;
    assert.equal(job.failedReason, 'Error [E_CUSTOM]: task failed');
    await assert.rejects(fleet.run('fail', 'type'), (error: Error) => error instanceof TypeError && error.message === 'wrong type');
  });

  it('retries a failed job while retries remain, with back-off, until it succeeds', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('retries');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    const attempts: number[] = [];
    node.served.worker.on('active', () => attempts.push(Date.now()));
    const fleet = await openQueuePool(redis.url, queue);
    const attempt = await fleet.run('flaky', { counter: join(scratch, 'flaky'), failures: 2 }, { retries: 2, backoff: 150 });
    assert.equal(attempt, 3);
    assert.equal(attempts.length, 3);
    for (const [index, at] of attempts.slice(1).entries()) assert.ok(at - (attempts[index] ?? 0) >= 140, `attempt ${index + 2} came ${at - (attempts[index] ?? 0)} ms after the previous one, not before the back-off`);
    await assert.rejects(fleet.run('flaky', { counter: join(scratch, 'flaky-short'), failures: 2 }, { retries: 1 }), { code: 'E_FLAKY', message: 'attempt 2 fails' });
  });

  it('a task that throws an UnrecoverableError is not retried, though retries remain', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('unrecoverable');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    let started = 0;
    node.served.worker.on('active', () => started++);
    const fleet = await openQueuePool(redis.url, queue);
    await assert.rejects(fleet.run('fail', 'unrecoverable', { retries: 3 }), { name: 'UnrecoverableError', message: 'never again' });
    assert.equal(started, 1);
  });

  it('a job naming a task the module does not export fails at once with ERR_UNKNOWN_TASK, not a retry loop', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('unknown-task');
    const node = await startNode(redis.url, queue, {}, { threads: 1 });
    let started = 0;
    node.served.worker.on('active', () => started++);
    // A plain BullMQ producer, with attempts to spare.
    const producer = new Queue(queue, { connection: { url: redis.url } });
    const events = new QueueEvents(queue, { connection: { url: redis.url } });
    try {
      await events.waitUntilReady();
      const job = await producer.add('sqaure', 4, { attempts: 5, backoff: 10 });
      await assert.rejects(job.waitUntilFinished(events, 10_000), /^Error: UnknownTaskError \[ERR_UNKNOWN_TASK\]: The worker module has no task named `sqaure`; it exports .*`square`/);
      assert.equal(started, 1, 'one attempt, not five');
    } finally {
      await Promise.all([producer.close(), events.close()]);
    }
    // Through an untyped QueuePool, the same failure rejects with the core's code.
    const untyped = new QueuePool({ queue, connection: redis.url });
    await assert.rejects(untyped.run('sqaure', 4, { retries: 3 }), (error: Error & { code?: string }) => error.code === 'ERR_UNKNOWN_TASK' && error instanceof SpindleError && error.name === 'UnknownTaskError');
    await untyped.close();
  });

  it('a job removed from Redis while its producer waits rejects with ERR_JOB_LOST', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('removed');
    const fleet = await openQueuePool(redis.url, queue);
    const call = fleet.run('square', 3);
    // Handled at once: it may reject before the removal below returns (an unhandled rejection would fail the test).
    call.catch(() => undefined);
    let waiting: Job[] = [];
    await waitUntil(async () => (waiting = await fleet.queue.getJobs(['prioritized'])).length === 1, 'the job to be added');
    await fleet.queue.remove(waiting[0]?.id ?? '');
    await assert.rejects(call, (error: Error & { code?: string; jobId?: string }) => {
      assert.equal(error.code, 'ERR_JOB_LOST');
      assert.equal(error.name, 'JobLostError');
      assert.equal(error.jobId, waiting[0]?.id);
      assert.ok(SpindleError.is(error));
      return true;
    });
  });

  it('a job that vanished without an event (a Redis that lost its data) is found missing by the periodic look-up: ERR_JOB_LOST', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('vanished');
    const fleet = await openQueuePool(redis.url, queue, { checkInterval: 200 });
    const call = fleet.run('square', 3);
    call.catch(() => undefined);
    await waitUntil(async () => (await fleet.queue.getJobs(['prioritized'])).length === 1, 'the job to be added');
    // FLUSHALL drops every key without an event, as a restart without persistence would.
    const client = await fleet.queue.backend.client;
    await client.runCommand('flushall', []);
    await assert.rejects(call, { code: 'ERR_JOB_LOST' });
  });
});
