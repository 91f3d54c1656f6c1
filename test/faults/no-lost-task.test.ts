import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, delay, faultTasksUrl, recordHostFaults, type FaultTasks } from './fault-helpers.js';

const SMALL_TASKS = 5_000;
const SMALL_TASKS_PER_BURST = 25;
const BURST_INTERVAL_MS = 5;
const KILL_INTERVAL_MS = 50;

interface Outcome {
  readonly smallRuns: Int32Array;
  readonly killRuns: Int32Array;
  readonly smallSettled: PromiseSettledResult<number>[];
  readonly killSettled: PromiseSettledResult<unknown>[];
  readonly retried: number;
  readonly submitted: number;
  readonly workerCrashes: number;
}

function settledOutcome<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

/**
 * Submits SMALL_TASKS counting tasks in bursts while a task that calls
 * process.exit(1) is submitted every KILL_INTERVAL_MS, so that a worker dies
 * every 50 ms. Every task counts its runs in a SharedArrayBuffer.
 */
async function runUnderFire(retries: number): Promise<Outcome> {
  const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, retries });
  const smallCounters = new SharedArrayBuffer(SMALL_TASKS * Int32Array.BYTES_PER_ELEMENT);
  const killCounters = new SharedArrayBuffer(1_000 * Int32Array.BYTES_PER_ELEMENT);
  try {
    await pool.ready;
    // Outcomes are captured as they happen: a rejection must never sit unobserved until the end.
    const small: Promise<PromiseSettledResult<number>>[] = [];
    const kills: Promise<PromiseSettledResult<unknown>>[] = [];
    const killing = new AbortController();
    const killer = (async () => {
      while (!killing.signal.aborted) {
        kills.push(settledOutcome(pool.run('countRunThenExit', { counters: killCounters, index: kills.length })));
        await delay(KILL_INTERVAL_MS);
      }
    })();
    while (small.length < SMALL_TASKS) {
      for (let burst = 0; burst < SMALL_TASKS_PER_BURST; burst++) small.push(settledOutcome(pool.run('countRun', { counters: smallCounters, index: small.length })));
      await delay(BURST_INTERVAL_MS);
    }
    killing.abort();
    await killer;
    const [smallSettled, killSettled] = await Promise.all([Promise.all(small), Promise.all(kills)]);
    const stats = pool.stats();
    return {
      smallRuns: new Int32Array(smallCounters),
      killRuns: new Int32Array(killCounters, 0, kills.length),
      smallSettled,
      killSettled,
      retried: stats.retried,
      submitted: stats.submitted,
      workerCrashes: stats.workerCrashes,
    };
  } finally {
    await pool.destroy();
  }
}

function assertEverySmallTaskRanOnceAndSucceeded(outcome: Outcome): void {
  assert.equal(outcome.smallSettled.length, SMALL_TASKS);
  outcome.smallSettled.forEach((settled, index) => {
    assert.equal(settled.status, 'fulfilled', `small task ${index} failed: ${settled.status === 'rejected' ? String(settled.reason) : ''}`);
    assert.equal(outcome.smallRuns[index], 1, `small task ${index} ran ${outcome.smallRuns[index]} times`);
  });
}

describe('no task is lost while workers die', () => {
  it('settles every one of 5,000 tasks, each run once, while a worker is killed every 50 ms', async (context) => {
    const hostFaults = recordHostFaults();
    const outcome = await runUnderFire(0);
    context.diagnostic(`${outcome.killSettled.length} workers killed while 5,000 tasks ran`);
    assert.ok(outcome.killSettled.length >= 10, `only ${outcome.killSettled.length} workers were killed`);
    assert.equal(outcome.submitted, SMALL_TASKS + outcome.killSettled.length, 'settled == submitted');
    assertEverySmallTaskRanOnceAndSucceeded(outcome);
    for (const settled of outcome.killSettled) {
      assert.equal(settled.status, 'rejected');
      assert.equal(codeOf(settled.reason), 'ERR_WORKER_EXITED');
    }
    assert.deepEqual([...outcome.killRuns], Array<number>(outcome.killRuns.length).fill(1));
    assert.equal(outcome.workerCrashes, outcome.killSettled.length);
    assert.equal(outcome.retried, 0);
    assert.deepEqual(hostFaults.stop(), []);
  });

  it('with retries on, runs no task more often than its retry budget allows', async () => {
    const retries = 2;
    const outcome = await runUnderFire(retries);
    assert.ok(outcome.killSettled.length >= 5, `only ${outcome.killSettled.length} killing tasks were submitted`);
    assertEverySmallTaskRanOnceAndSucceeded(outcome);
    outcome.killSettled.forEach((settled, index) => {
      assert.equal(settled.status, 'rejected');
      assert.equal(codeOf(settled.reason), 'ERR_WORKER_EXITED');
      // Each attempt kills its worker, so each one is retried until the budget is spent: exactly 1 + retries runs.
      assert.equal(outcome.killRuns[index], 1 + retries, `killing task ${index} ran ${outcome.killRuns[index]} times`);
    });
    assert.equal(outcome.retried, outcome.killSettled.length * retries, 'stats().retried counts every extra attempt');
    assert.equal(outcome.workerCrashes, outcome.killSettled.length * (1 + retries));
  });
});
