import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueueEvents } from 'bullmq';
import { startConsumer, type ConsumerProcess } from './consumer-process.js';
import { closeEverything, openQueuePool, startNode, uniqueQueue } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/** One job per consumer, both at once. */
const JOBS = 2;
/** Longer than a lock lives unrenewed, so that an inline processor loses it; a Spindle node renews it all along. */
const BURN_MS = 2_500;
/** Locks renewed every 750 ms and lost after 1.5 s without renewal (room for a loaded machine); the stalled-job check every second. */
const WORKER = { lockDuration: 1_500, stalledInterval: 1_000, maxStalledCount: 1 };

interface Outcome {
  readonly completed: number;
  readonly failedStalled: number;
  readonly stalledEvents: number;
  readonly startedTwiceOrMore: number;
  readonly seconds: number;
}

/** Two consumers of one queue, one job at a time each: what they started, and how they stop. */
interface Pair {
  readonly queue: string;
  starts(): Promise<readonly string[]>;
  stop(): Promise<unknown>;
}

describe('CPU-bound jobs: an inline BullMQ processor against serveQueue()', { timeout: 120_000 }, () => {
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

  /** Two plain BullMQ workers calling the task on their event loops, each in a process of its own (it blocks them). */
  async function inlinePair(url: string): Promise<Pair> {
    const queue = uniqueQueue('stalls-inline');
    const config = { redisUrl: url, queue, mode: 'inline', concurrency: 1, worker: WORKER } as const;
    const pair = await Promise.all([startConsumer(config), startConsumer(config)]);
    consumers.push(...pair);
    return {
      queue,
      starts: async () => (await Promise.all(pair.map((consumer) => consumer.report()))).flatMap((report) => report.active),
      stop: () => Promise.all(pair.map((consumer) => consumer.terminate(10_000))),
    };
  }

  /** Two serveQueue() nodes with one worker thread each (their event loops stay free, in this process or any other). */
  async function spindlePair(url: string): Promise<Pair> {
    const queue = uniqueQueue('stalls-spindle');
    const nodes = await Promise.all([1, 2].map(() => startNode(url, queue, { ...WORKER, concurrency: 1 }, { threads: 1 })));
    const started: string[] = [];
    for (const node of nodes) node.served.worker.on('active', (job) => started.push(job.id ?? '?'));
    return { queue, starts: () => Promise.resolve(started), stop: () => Promise.all(nodes.map((node) => node.served.close())) };
  }

  /** `JOBS` jobs of `BURN_MS` of CPU through `pair`. */
  async function measure(url: string, pair: Pair): Promise<Outcome> {
    const events = new QueueEvents(pair.queue, { connection: { url } });
    let stalledEvents = 0;
    events.on('stalled', () => stalledEvents++);
    await events.waitUntilReady();
    const fleet = await openQueuePool(url, pair.queue);
    const startedAt = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: JOBS }, () => fleet.run('burn', BURN_MS)));
    const seconds = (performance.now() - startedAt) / 1000;
    const starts = new Map<string, number>();
    for (const jobId of await pair.starts()) starts.set(jobId, (starts.get(jobId) ?? 0) + 1);
    await pair.stop();
    await events.close();
    return {
      completed: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
      failedStalled: outcomes.filter((outcome) => outcome.status === 'rejected' && (outcome.reason as { code?: string }).code === 'ERR_JOB_STALLED').length,
      stalledEvents,
      startedTwiceOrMore: [...starts.values()].filter((count) => count > 1).length,
      seconds,
    };
  }

  it(`an inline processor blocks its event loop and gets stalled or double-processed jobs; served through Spindle, ${JOBS} jobs of ${BURN_MS} ms of CPU run with zero stalled jobs, each exactly once`, { timeout: 90_000 }, async () => {
    assert.ok(redis !== undefined);
    const [inlineConsumers, spindleNodes] = await Promise.all([inlinePair(redis.url), spindlePair(redis.url)]);
    const inline = await measure(redis.url, inlineConsumers);
    const spindle = await measure(redis.url, spindleNodes);
    console.log(`# inline BullMQ processor: ${JSON.stringify(inline)}`);
    console.log(`# serveQueue() on Spindle: ${JSON.stringify(spindle)}`);
    assert.ok(inline.stalledEvents + inline.startedTwiceOrMore > 0, `the inline processor lost its locks: ${JSON.stringify(inline)}`);
    assert.deepEqual({ ...spindle, seconds: 0 }, { completed: JOBS, failedStalled: 0, stalledEvents: 0, startedTwiceOrMore: 0, seconds: 0 });
  });
});
