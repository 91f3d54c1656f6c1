import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { TaskWorker } from '../../src/scheduler/task.js';
import { Watchdog } from '../../src/scheduler/watchdog.js';

/**
 * What the watchdog reads of a worker: one task out, running (or, with
 * `behind`, more sent behind it, unstarted); `expectedUs`: what the running
 * task was expected to take (unset: the slots lag, the task is not known yet).
 */
function fakeWorker(behind: boolean, expectedUs?: number): TaskWorker {
  const worker = {
    state: 'ready',
    unanswered: behind ? 3 : 1,
    claimedSeq: 1,
    lastSentSeq: behind ? 3 : 1,
    busy: true,
    currentSeq: 1,
    currentStartedAt: Date.now(),
    taskAt: () => (expectedUs === undefined ? undefined : { expectedUs }),
  };
  return worker as unknown as TaskWorker;
}

/** How many times the watchdog looks at `worker` in `ms`. */
async function looksIn(worker: TaskWorker, ms: number): Promise<number> {
  let looks = 0;
  const watchdog = new Watchdog(60_000, {
    workers: () => {
      looks++;
      return [worker];
    },
    canTakeMore: () => false,
    overran: () => undefined,
    unresponsive: () => undefined,
  });
  watchdog.wake(worker);
  await delay(ms);
  watchdog.stop();
  return looks;
}

describe('Watchdog', () => {
  it('looks every few milliseconds while tasks wait in a worker behind a running one', async () => {
    const looks = await looksIn(fakeWorker(true), 500);
    // Every 5 ms: about 100 in 500 ms; at least 25 on a machine busy with other work.
    assert.ok(looks >= 25, `looked ${String(looks)} times in 500 ms`);
  });

  it('looks every 5 ms while tasks wait behind a short call, which overruns after 5 ms', async () => {
    const looks = await looksIn(fakeWorker(true, 50), 500);
    assert.ok(looks >= 25, `looked ${String(looks)} times in 500 ms`);
  });

  it('does not look before the call that tasks wait behind could overrun, so holding the next task costs no wake-up while tasks end on time', async () => {
    // Expected 10 ms: it overruns 8 × 10 = 80 ms after it started. (It used to look every 20 ms, four times per overrun time.)
    const looks = await looksIn(fakeWorker(true, 10_000), 60);
    assert.equal(looks, 0);
  });

  it('looks when that call overruns, then four times per overrun time while it goes on', async () => {
    // Overrun 80 ms after it started: a look then, and every 20 ms after, about 22 in 500 ms; none of them may come early.
    const looks = await looksIn(fakeWorker(true, 10_000), 500);
    assert.ok(looks >= 4 && looks <= 22, `looked ${String(looks)} times in 500 ms`);
  });

  it('looks at least every 100 ms behind a call that overruns only later', async () => {
    // Expected 1 s: it overruns after 8 s; in 500 ms, a look every 100 ms.
    const looks = await looksIn(fakeWorker(true, 1_000_000), 500);
    assert.ok(looks >= 2 && looks <= 5, `looked ${String(looks)} times in 500 ms`);
  });

  it('looks only every 100 ms while each worker runs all it was sent, so watching long tasks costs next to no CPU', async () => {
    const looks = await looksIn(fakeWorker(false), 500);
    assert.ok(looks >= 2 && looks <= 8, `looked ${String(looks)} times in 500 ms`);
  });
});
