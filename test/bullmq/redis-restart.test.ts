import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startConsumer, type ConsumerProcess } from './consumer-process.js';
import { closeEverything, openQueuePool, uniqueQueue } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const JOBS = 300;

describe('Redis restarted in the middle of a run, with its append-only file on', () => {
  let redis: RedisServer;
  const consumers: ConsumerProcess[] = [];
  before(async () => {
    redis = await startRedisServer({ appendOnly: true });
  });
  after(async () => {
    await closeEverything();
    await Promise.all(consumers.map((consumer) => consumer.kill()));
    await redis.stop();
  });

  it('producers and consumers reconnect by themselves and no job is lost: every call resolves with its own result', async () => {
    const queue = uniqueQueue('restart');
    // runRetryDelay: how long BullMQ waits before retrying a command that failed while Redis was away (default 15 s).
    const config = { redisUrl: redis.url, queue, mode: 'spindle', threads: 1, concurrency: 4, worker: { runRetryDelay: 300 } } as const;
    consumers.push(...(await Promise.all([startConsumer(config), startConsumer(config)])));
    const fleet = await openQueuePool(redis.url, queue, { checkInterval: 1_000 });
    let completed = 0;
    const calls = Array.from({ length: JOBS }, (_, id) =>
      fleet.run('slowJob', { id, ms: 20 }).then((result) => {
        completed++;
        return result;
      }),
    );
    while (completed < JOBS / 5) await delay(10);
    const completedBefore = completed;
    await redis.kill('SIGKILL');
    await delay(1_000);
    await redis.restart();

    const results = await Promise.all(calls);
    assert.deepEqual(results.map((result) => result.id), Array.from({ length: JOBS }, (_, id) => id), 'every job completed, with its own result');
    assert.ok(completedBefore < JOBS * 0.9, `the restart came in the middle of the run (${completedBefore} of ${JOBS} done)`);
    assert.deepEqual(await fleet.queue.getJobCounts('completed', 'failed', 'active', 'prioritized'), { completed: JOBS, failed: 0, active: 0, prioritized: 0 });
    const reports = await Promise.all(consumers.map((consumer) => consumer.report()));
    const runs = reports.flatMap((report) => report.active);
    console.log(`# Redis killed after ${completedBefore} of ${JOBS} jobs and restarted 1 s later; ${runs.length - JOBS} jobs ran twice (at least once)`);
    assert.ok(new Set(runs).size === JOBS);
  });
});
