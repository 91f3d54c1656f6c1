import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueueEvents } from 'bullmq';
import { startConsumer, type ConsumerProcess } from './consumer-process.js';
import { closeEverything, openQueuePool, uniqueQueue } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const JOBS = 4;
const BURN_MS = 1_500;
/** Locks renewed every 500 ms and lost after 1 s without renewal; the stalled-job check every second. */
const WORKER = { lockDuration: 1_000, stalledInterval: 1_000, maxStalledCount: 1 };

interface Outcome {
  readonly completed: number;
  readonly failedStalled: number;
  readonly stalledEvents: number;
  readonly startedTwiceOrMore: number;
  readonly seconds: number;
}

describe('CPU-bound jobs: an inline BullMQ processor against serveQueue()', () => {
  let redis: RedisServer;
  const consumers: ConsumerProcess[] = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await closeEverything();
    await Promise.all(consumers.map((consumer) => consumer.kill()));
    await redis.stop();
  });

  /** Two consumer processes of `mode`, one job at a time each, through `JOBS` jobs of `BURN_MS` of CPU. */
  async function measure(mode: 'inline' | 'spindle'): Promise<Outcome> {
    const queue = uniqueQueue(`stalls-${mode}`);
    const events = new QueueEvents(queue, { connection: { url: redis.url } });
    let stalledEvents = 0;
    events.on('stalled', () => stalledEvents++);
    await events.waitUntilReady();
    const config = { redisUrl: redis.url, queue, mode, threads: 1, concurrency: 1, worker: WORKER } as const;
    const pair = await Promise.all([startConsumer(config), startConsumer(config)]);
    consumers.push(...pair);
    const fleet = await openQueuePool(redis.url, queue);
    const startedAt = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: JOBS }, () => fleet.run('burn', BURN_MS)));
    const seconds = (performance.now() - startedAt) / 1000;
    const reports = await Promise.all(pair.map((consumer) => consumer.report()));
    const starts = new Map<string, number>();
    for (const jobId of reports.flatMap((report) => report.active)) starts.set(jobId, (starts.get(jobId) ?? 0) + 1);
    await Promise.all(pair.map((consumer) => consumer.terminate()));
    await events.close();
    return {
      completed: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
      failedStalled: outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as { code?: string }).code === 'ERR_JOB_STALLED').length,
      stalledEvents,
      startedTwiceOrMore: [...starts.values()].filter((count) => count > 1).length,
      seconds,
    };
  }

  it(`an inline processor blocks its event loop and gets stalled or double-processed jobs; served through Spindle, ${JOBS} jobs of ${BURN_MS} ms of CPU run with zero stalled jobs, each exactly once`, async () => {
    const inline = await measure('inline');
    const spindle = await measure('spindle');
    console.log(`# inline BullMQ processor: ${JSON.stringify(inline)}`);
    console.log(`# serveQueue() on Spindle: ${JSON.stringify(spindle)}`);
    assert.ok(inline.stalledEvents + inline.startedTwiceOrMore > 0, `the inline processor lost its locks: ${JSON.stringify(inline)}`);
    assert.deepEqual({ ...spindle, seconds: 0 }, { completed: JOBS, failedStalled: 0, stalledEvents: 0, startedTwiceOrMore: 0, seconds: 0 });
  });
});
