/** The main thread never blocks on a lock: its event loop keeps turning while it waits, and the wait keeps the process alive. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Mutex, SharedFlag } from 'spindle/shared';
import { startPool, TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/lock-tasks.js');
const tasks = new URL('../fixtures/shared/lock-tasks.js', import.meta.url);
/**
 * Generous: a loaded 2-core machine delays timers by a hundred ms now and
 * then; a loop blocked by the wait would show the whole wait (over 500 ms).
 */
const STALL_MS = 300;
const HOLD_MS = 600;

/** The longest event-loop delay, in ms, while `work` runs. */
async function longestDelayDuring(work: () => Promise<void>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

describe('the main thread waiting for a lock', () => {
  it('keeps its event loop turning while it waits, among workers, for a Mutex that workers hold 600 ms each (no stall)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 3 });
    await pool.ready;
    const mutex = new Mutex();
    const held = [new SharedFlag(), new SharedFlag(), new SharedFlag()];
    const holders = held.map((flag) => pool.run('holdMutexFor', { mutex: mutex.toHandle(), held: flag.toHandle(), holdMs: HOLD_MS }));
    await held[0]?.wait({ timeout: 10_000 });
    let waitedMs = 0;
    const longest = await longestDelayDuring(async () => {
      const started = performance.now();
      // Queued behind the first holder with the two other workers; the main thread waits asynchronously.
      const hold = await mutex.lock({ timeout: 10_000 });
      waitedMs = performance.now() - started;
      hold.release();
    });
    await Promise.all(holders);
    assert.ok(waitedMs >= HOLD_MS - 100, `the lock was contended for a while (${waitedMs.toFixed(0)} ms)`);
    assert.ok(longest < STALL_MS, `the longest event-loop delay was ${longest.toFixed(1)} ms while waiting ${waitedMs.toFixed(0)} ms`);
  });

  it('sees, with the same monitor, a 300 ms Atomics.wait on the main thread as a stall (the check above can fail)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const longest = await longestDelayDuring(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    assert.ok(longest >= 250, `saw ${longest.toFixed(1)} ms`);
  });

  it('keeps the process alive while `await mutex.lock()` is its only pending work, until the lock is acquired', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // Killed by its own timeout, or when this test ends first (a timeout of the test itself).
    const ended = new AbortController();
    t.after(() => {
      ended.abort();
    });
    const child = await promisify(execFile)(process.execPath, [new URL('../fixtures/shared/await-lock-child.js', import.meta.url).pathname], { timeout: 30_000, signal: ended.signal, killSignal: 'SIGKILL' });
    assert.equal(child.stdout.trim(), 'acquired');
  });
});
