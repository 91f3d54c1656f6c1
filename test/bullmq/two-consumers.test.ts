import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exactlyOnceProblems, runOverTwoConsumers } from '../../bench/fleet/exactly-once.js';
import { uniqueQueue } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/** The 10,000 jobs run in `npm run bench:fleet:two-consumers`; the suite runs the same code on fewer. */
const JOBS = 400;

describe('a fleet of two consumer processes on one Redis', { timeout: 120_000 }, () => {
  let redis: RedisServer | undefined;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis?.stop();
  });

  it(`runs ${JOBS.toLocaleString('en')} jobs with every result correct and every job started and completed exactly once, shared by both consumers`, { timeout: 90_000 }, async () => {
    assert.ok(redis !== undefined);
    const run = await runOverTwoConsumers({ redisUrl: redis.url, queue: uniqueQueue('two-consumers'), jobs: JOBS, window: 100 });
    console.log(`# ${JOBS} jobs in ${run.seconds.toFixed(1)} s (${Math.round(run.jobsPerSecond)} jobs/s)`);
    assert.deepEqual(exactlyOnceProblems(run), []);
    assert.equal(run.resultCount, JOBS);
    assert.deepEqual(run.wrongResults, []);
    assert.deepEqual(run.exitCodes, [0, 0], 'both consumers close gracefully on SIGTERM');
  });

  it('finds a job started twice, a wrong result or a consumer that did nothing, so the check above can fail', () => {
    const report = (pid: number, ids: string[]) => ({ pid, active: ids, completed: ids, failed: [], stalled: [], errors: [] });
    const sound = {
      jobs: 4,
      seconds: 1,
      jobsPerSecond: 4,
      wrongResults: [],
      resultCount: 4,
      reports: [report(1, ['a', 'b']), report(2, ['c', 'd'])],
      counts: { completed: 4, failed: 0, active: 0, wait: 0, prioritized: 0, delayed: 0 },
      stats: { submitted: 4, inFlight: 0, completed: 4, failed: 0, aborted: 0, failedByCode: {}, rejectedQueueFull: 0 },
      exitCodes: [0, 0],
    };
    assert.deepEqual(exactlyOnceProblems(sound), []);
    assert.equal(exactlyOnceProblems({ ...sound, reports: [report(1, ['a', 'b', 'c']), report(2, ['c', 'd'])] }).length > 0, true, 'a job run twice');
    assert.equal(exactlyOnceProblems({ ...sound, wrongResults: [2] }).length, 1);
    assert.equal(exactlyOnceProblems({ ...sound, reports: [report(1, ['a', 'b', 'c', 'd']), report(2, [])] }).length, 1, 'a consumer idle');
    assert.equal(exactlyOnceProblems({ ...sound, exitCodes: [0, 1] }).length, 1);
  });
});
