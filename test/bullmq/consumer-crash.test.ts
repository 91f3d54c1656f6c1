import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'bullmq';
import { startConsumer, type ConsumerProcess } from './consumer-process.js';
import { closeEverything, openQueuePool, startNode, uniqueQueue, waitUntil } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/** Short locks, so that BullMQ's stalled-job check notices a dead consumer within seconds (defaults: 30 s each). */
const QUICK_RECOVERY = { lockDuration: 1_500, stalledInterval: 500 };

describe('a consumer killed with SIGKILL in the middle of long jobs', { timeout: 120_000 }, () => {
  let redis: RedisServer | undefined;
  const consumers: ConsumerProcess[] = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await closeEverything();
    await Promise.all(consumers.map((consumer) => consumer.kill()));
    await redis?.stop();
  });

  it("leaves its running jobs to BullMQ's stalled-job check: the other consumer runs them again and every job completes (at least once)", { timeout: 60_000 }, async () => {
    assert.ok(redis !== undefined);
    const queue = uniqueQueue('crash');
    const config = { redisUrl: redis.url, queue, mode: 'spindle', threads: 2, worker: QUICK_RECOVERY } as const;
    const [doomed, survivor] = await Promise.all([startConsumer(config), startConsumer(config)]);
    consumers.push(doomed, survivor);
    const fleet = await openQueuePool(redis.url, queue);
    const jobs = Array.from({ length: 6 }, (_, id) => ({ id, ms: 800 }));
    const calls = jobs.map((job) => fleet.run('slowJob', job));
    let atDeath = await doomed.report();
    await waitUntil(async () => (atDeath = await doomed.report()).active.length - atDeath.completed.length === 2, 'the doomed consumer to run two jobs');
    await doomed.kill();
    const interrupted = atDeath.active.filter((jobId) => !atDeath.completed.includes(jobId));

    const results = await Promise.all(calls);
    assert.deepEqual(results.map((result) => result.id), jobs.map((job) => job.id), 'every job completed, with its own result');
    // A call settles on BullMQ's completed event, which can reach this process before the survivor's Worker has emitted its own.
    let after = await survivor.report();
    await waitUntil(async () => {
      after = await survivor.report();
      return interrupted.every((jobId) => after.completed.includes(jobId));
    }, 'the survivor to report the jobs it ran again as completed');
    for (const jobId of interrupted) {
      assert.ok(after.stalled.includes(jobId), `job ${jobId}, interrupted by the kill, was found stalled`);
      assert.ok(after.active.includes(jobId) && after.completed.includes(jobId), `job ${jobId} ran again on the survivor`);
    }
    const completedBy = (pid: number): number => results.filter((result) => result.pid === pid).length;
    assert.equal(completedBy(doomed.pid) + completedBy(survivor.pid), jobs.length);
    assert.ok(completedBy(doomed.pid) <= atDeath.completed.length, 'no job completed on the dead consumer after its death');
    assert.deepEqual(await fleet.queue.getJobCounts('completed', 'failed', 'active'), { completed: jobs.length, failed: 0, active: 0 });
    console.log(`# killed consumer: ${atDeath.completed.length} jobs completed before, ${interrupted.length} interrupted and run again by the survivor`);
  });

  it('a job that stalls more often than maxStalledCount allows fails, and its call rejects with ERR_JOB_STALLED', { timeout: 60_000 }, async () => {
    assert.ok(redis !== undefined);
    const queue = uniqueQueue('crash-stalled');
    const strictWorker = { ...QUICK_RECOVERY, maxStalledCount: 0 };
    const fleet = await openQueuePool(redis.url, queue);
    const call = fleet.run('slowJob', { id: 1, ms: 5_000 }, { retries: 2 });
    // A consumer that takes the job and dies at once, as the one above: to Redis, an active job whose lock nobody renews.
    // (A plain BullMQ worker fetching by hand, closed without finishing the job, in place of a process to kill: the same state, seconds sooner.)
    const dying = new Worker(queue, null, { connection: { url: redis.url, maxRetriesPerRequest: null }, lockDuration: QUICK_RECOVERY.lockDuration, autorun: false });
    try {
      await waitUntil(async () => (await fleet.queue.getJobCounts('prioritized')).prioritized === 1, 'the job to wait');
      const taken = await dying.getNextJob('a-consumer-about-to-die');
      assert.equal((taken.data as { id: number }).id, 1);
    } finally {
      await dying.close(true);
    }
    await startNode(redis.url, queue, strictWorker, { threads: 1 }); // its stalled-job check finds the job
    await assert.rejects(call, (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_JOB_STALLED');
      assert.match(error.message, /stalled more often than the consumers' `maxStalledCount` allows.*job stalled more than allowable limit/);
      return true;
    });
  });
});
