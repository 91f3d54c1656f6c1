import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { TaskWorker } from '../../src/scheduler/task.js';
import { Watchdog } from '../../src/scheduler/watchdog.js';

/** What the watchdog reads of a worker: one task out, running (or, with `behind`, more sent behind it, unstarted). */
function fakeWorker(behind: boolean): TaskWorker {
  const worker = {
    state: 'ready',
    unanswered: behind ? 3 : 1,
    claimedSeq: 1,
    lastSentSeq: behind ? 3 : 1,
    busy: true,
    currentSeq: 1,
    currentStartedAt: Date.now(),
    taskAt: () => undefined,
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

  it('looks only every 100 ms while each worker runs all it was sent, so watching long tasks costs next to no CPU', async () => {
    const looks = await looksIn(fakeWorker(false), 500);
    assert.ok(looks >= 2 && looks <= 8, `looked ${String(looks)} times in 500 ms`);
  });
});
