import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BusyPoll, sparesACpu } from '../../src/scheduler/busy-poll.js';
import { PollBackoff } from '../../src/worker/poll-backoff.js';

describe('BusyPoll', () => {
  it('keeps the event loop turning while results are out and stops as soon as none is', async () => {
    let turns = 0;
    let waiting = true;
    const poll = new BusyPoll(1_000_000, () => {
      turns++;
      return waiting;
    });
    poll.expectSoon();
    // A turn takes microseconds: 10 come within milliseconds, or within 2 s on a machine busy with other work.
    const started = performance.now();
    while (turns <= 10 && performance.now() - started < 2_000) await delay(10);
    assert.ok(turns > 10, `expected the loop to turn many times in 2 s, got ${String(turns)}`);
    waiting = false;
    await delay(5);
    const turnsWhenDone = turns;
    await delay(50);
    assert.equal(turns, turnsWhenDone);
  });

  it('stops once the window passes even while results are still out, and starts again when asked', async () => {
    let turns = 0;
    const poll = new BusyPoll(2_000, () => ++turns > 0);
    poll.expectSoon();
    await delay(50);
    const afterWindow = turns;
    assert.ok(afterWindow > 0);
    await delay(100);
    assert.equal(turns, afterWindow, 'no turn after the 2 ms window');
    poll.expectSoon();
    await delay(50);
    assert.ok(turns > afterWindow);
  });

  it('never turns the loop with a window of 0', async () => {
    let turns = 0;
    const poll = new BusyPoll(0, () => ++turns > 0);
    poll.expectSoon();
    await delay(10);
    assert.equal(turns, 0);
  });
});

describe('PollBackoff', () => {
  it('skips 2, 4, 8 … up to 1024 chances after misses in a row, and a hit starts over at 2', () => {
    const backoff = new PollBackoff();
    const skipsAfterMiss = (): number => {
      backoff.miss();
      let skipped = 0;
      while (!backoff.shouldPoll()) skipped++;
      return skipped;
    };
    assert.equal(backoff.shouldPoll(), true);
    assert.deepEqual(Array.from({ length: 12 }, skipsAfterMiss), [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1024, 1024]);
    backoff.hit();
    assert.equal(skipsAfterMiss(), 2);
  });
});

describe('sparesACpu', () => {
  const thread = (unanswered: number) => ({ sharesMemory: true, unanswered });
  const process = (unanswered: number) => ({ sharesMemory: false, unanswered });

  it("lets the pool poll for a thread worker's answers however many workers are busy", () => {
    const workers = [thread(3), thread(1), process(2), process(1)];
    assert.equal(sparesACpu(workers[0]!, workers, 1), true);
  });

  it('lets the pool poll for a process worker while fewer process workers than CPUs have tasks out, and not once as many have', () => {
    const idle = process(0);
    const first = process(4);
    const second = process(1);
    assert.equal(sparesACpu(first, [first, idle, thread(5)], 2), true);
    assert.equal(sparesACpu(first, [first, second, idle, thread(5)], 2), false);
    assert.equal(sparesACpu(first, [first, second, idle], 3), true);
    assert.equal(sparesACpu(first, [first], 1), false);
  });
});
