import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openQueuePool, redisForThisSuite, startNode, uniqueQueue } from './fleet-helpers.js';

describe('progress and events across the queue', { timeout: 120_000 }, () => {
  const redis = redisForThisSuite();

  it("delivers the task's progress and events in order and before the result, with their values decoded", { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('progress');
    await startNode(redis.url, queue);
    const fleet = await openQueuePool(redis.url, queue);
    const seen: unknown[] = [];
    const result = await fleet.run('progressSteps', 3, {
      onProgress: (value) => seen.push(['progress', value]),
      onEvent: (event, data) => seen.push([event, data]),
    });
    seen.push(['result', result]);
    const step = (n: number): unknown => ['step', { step: n, label: `step ${n}`, at: new Date(0) }];
    assert.deepEqual(seen, [['progress', 1], step(1), ['progress', 2], step(2), ['progress', 3], step(3), ['result', 'done']]);
  });

  it("writes progress to BullMQ's job.updateProgress(): a number stays a number for dashboards, an event is tagged", { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('progress-bullmq');
    const node = await startNode(redis.url, queue);
    const stored: unknown[] = [];
    node.served.worker.on('progress', (_job, progress) => stored.push(progress));
    const fleet = await openQueuePool(redis.url, queue);
    await fleet.run('progressSteps', 2);
    assert.deepEqual(stored, [
      1,
      { '$spindle:event': 'step', data: { step: 1, label: 'step 1', at: { $spindle: 'Date', value: '0' } } },
      2,
      { '$spindle:event': 'step', data: { step: 2, label: 'step 2', at: { $spindle: 'Date', value: '0' } } },
    ]);
  });

  it('an onProgress callback that throws is reported on callbackError and the call still resolves', { timeout: 30_000 }, async () => {
    const queue = uniqueQueue('progress-throws');
    await startNode(redis.url, queue);
    const fleet = await openQueuePool(redis.url, queue);
    const reported: Error[] = [];
    fleet.on('callbackError', (error) => reported.push(error));
    const result = await fleet.run('progressSteps', 2, {
      onProgress: () => {
        throw new Error('a bug in the callback');
      },
    });
    assert.equal(result, 'done');
    assert.deepEqual(
      reported.map((error) => error.message),
      ['a bug in the callback', 'a bug in the callback'],
    );
  });
});
