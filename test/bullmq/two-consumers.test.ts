import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startConsumer, type ConsumerProcess } from './consumer-process.js';
import { openQueuePool, uniqueQueue } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const JOBS = 10_000;

describe('a fleet of two consumer processes on one Redis', () => {
  let redis: RedisServer;
  const consumers: ConsumerProcess[] = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await Promise.all(consumers.map((consumer) => consumer.kill()));
    await redis.stop();
  });

  it(`runs ${JOBS.toLocaleString('en')} jobs with every result correct and every job started and completed exactly once, shared by both consumers`, async () => {
    const queue = uniqueQueue('ten-thousand');
    consumers.push(...(await Promise.all([1, 2].map(() => startConsumer({ redisUrl: redis.url, queue, mode: 'spindle', threads: 1, concurrency: 16 })))));
    const fleet = await openQueuePool(redis.url, queue);
    const started = performance.now();
    const results: number[] = [];
    for await (const result of fleet.map(Array.from({ length: JOBS }, (_, index) => index), 'square', { concurrency: 500 })) results.push(result);
    const seconds = (performance.now() - started) / 1000;
    console.log(`# ${JOBS} jobs in ${seconds.toFixed(1)} s (${Math.round(JOBS / seconds)} jobs/s)`);

    assert.deepEqual(results, Array.from({ length: JOBS }, (_, index) => index * index));
    const reports = await Promise.all(consumers.map((consumer) => consumer.report()));
    const started1 = reports.flatMap((report) => report.active);
    const completed = reports.flatMap((report) => report.completed);
    assert.equal(started1.length, JOBS, 'started exactly once each: no job ran twice');
    assert.equal(new Set(started1).size, JOBS);
    assert.equal(completed.length, JOBS);
    assert.deepEqual(new Set(completed), new Set(started1));
    assert.deepEqual(reports.flatMap((report) => [...report.failed, ...report.stalled]), []);
    for (const report of reports) assert.ok(report.completed.length > JOBS / 10, `consumer ${report.pid} took its share: ${report.completed.length} jobs`);
    const counts = await fleet.queue.getJobCounts('completed', 'failed', 'active', 'wait', 'prioritized', 'delayed');
    assert.deepEqual(counts, { completed: JOBS, failed: 0, active: 0, wait: 0, prioritized: 0, delayed: 0 });
    assert.deepEqual(fleet.stats(), { submitted: JOBS, inFlight: 0, completed: JOBS, failed: 0, aborted: 0, failedByCode: {}, rejectedQueueFull: 0 });
    await fleet.close();
    assert.deepEqual(await Promise.all(consumers.map((consumer) => consumer.terminate())), [0, 0], 'both consumers close gracefully on SIGTERM');
  });
});
