import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { closeEverything, openQueuePool, startNode, uniqueQueue } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

const JOBS = 200;

describe('Redis restarted in the middle of a run, with its append-only file on', { timeout: 90_000 }, () => {
  let redis: RedisServer | undefined;
  before(async () => {
    redis = await startRedisServer({ appendOnly: true });
  });
  after(async () => {
    await closeEverything();
    await redis?.stop();
  });

  it('producers and consumers reconnect by themselves and no job is lost: every call resolves with its own result', { timeout: 60_000 }, async () => {
    assert.ok(redis !== undefined);
    const server = redis;
    const queue = uniqueQueue('restart');
    // runRetryDelay: how long BullMQ waits before retrying a command that failed while Redis was away (default 15 s).
    // A job a node took just as Redis died can be left active with nobody running it (the node never got the reply):
    // BullMQ's stalled-job check gives it back after lockDuration + stalledInterval (30 s + 30 s by default; 2 s + 1 s here).
    const worker = { runRetryDelay: 300, lockDuration: 2_000, stalledInterval: 1_000 };
    const runs: string[] = [];
    const stalled: string[] = [];
    for (const node of await Promise.all([1, 2].map(() => startNode(server.url, queue, { ...worker, concurrency: 4 }, { threads: 1 })))) {
      node.served.worker.on('active', (job) => runs.push(job.id ?? '?'));
      node.served.worker.on('stalled', (jobId) => stalled.push(jobId));
    }
    const fleet = await openQueuePool(redis.url, queue, { checkInterval: 1_000 });
    let completed = 0;
    const startedAt = performance.now();
    const calls = Array.from({ length: JOBS }, (_, id) =>
      fleet.run('slowJob', { id, ms: 20 }).then((result) => {
        completed++;
        return result;
      }),
    );
    while (completed < JOBS / 5) await delay(10);
    const completedBefore = completed;
    await redis.kill('SIGKILL');
    const killedAt = performance.now();
    await delay(1_000);
    await redis.restart();
    const restartedAt = performance.now();

    const results = await Promise.all(calls);
    const doneAt = performance.now();
    assert.deepEqual(results.map((result) => result.id), Array.from({ length: JOBS }, (_, id) => id), 'every job completed, with its own result');
    assert.ok(completedBefore < JOBS * 0.9, `the restart came in the middle of the run (${completedBefore} of ${JOBS} done)`);
    assert.deepEqual(await fleet.queue.getJobCounts('completed', 'failed', 'active', 'prioritized'), { completed: JOBS, failed: 0, active: 0, prioritized: 0 });
    const seconds = (from: number, to: number): string => ((to - from) / 1000).toFixed(1);
    console.log(
      `# Redis killed after ${completedBefore} of ${JOBS} jobs (${seconds(startedAt, killedAt)} s), back ${seconds(killedAt, restartedAt)} s later; ` +
        `the rest done ${seconds(restartedAt, doneAt)} s after that; ${stalled.length} jobs found stalled and given back, ${runs.length - JOBS} jobs ran twice (at least once)`,
    );
    assert.equal(new Set(runs).size, JOBS);
  });
});
