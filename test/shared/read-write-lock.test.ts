/**
 * A reader that goes to sleep while the writer's word changes under it
 * (test/fixtures/shared/reader-interleaving.ts forces the interleaving):
 * it must still be woken by the writer's release. It once slept on the
 * value it had first read, without WAITERS in it; when the writer came back
 * to that same value, its next release notified no one and the reader slept
 * on with the lock free (the contention test's hang under load).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadWriteLock, SharedFlag, type LockHold } from 'spindle/shared';
import { interleaveBeforeReaderSleeps } from '../fixtures/shared/reader-interleaving.js';
import { startPool, TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/lock-tasks.js');

/** How long a read may wait at most; a reader that missed its wake-up waits all of it. */
const READ_TIMEOUT_MS = 10_000;
/** A reader woken by the release gets in well within this, even on a loaded machine. */
const WOKEN_WITHIN_MS = 5_000;

describe('a reader whose view of the writer went stale just before it slept', () => {
  it('wakes at the write release when the writer released and re-took the lock meanwhile (readLock(), the event-loop form)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lock = new ReadWriteLock();
    const first = lock.tryWriteLock();
    assert.ok(first !== undefined);
    let second = first;
    const disarm = interleaveBeforeReaderSleeps(lock.toHandle().buffer, () => {
      first.release();
      const again = lock.tryWriteLock();
      assert.ok(again !== undefined);
      second = again;
    });
    let reading: Promise<LockHold>;
    try {
      reading = lock.readLock({ timeout: READ_TIMEOUT_MS });
    } finally {
      assert.equal(disarm(), true, 'the interleaving happened');
    }
    assert.notEqual(second, first);
    const releasedAt = performance.now();
    second.release();
    const hold = await reading;
    const waitedMs = performance.now() - releasedAt;
    hold.release();
    assert.ok(waitedMs < WOKEN_WITHIN_MS, `the read lock came ${waitedMs.toFixed(0)} ms after the write release (a missed wake-up waits out the ${String(READ_TIMEOUT_MS)} ms timeout)`);
    assert.equal(lock.readers, 0);
    assert.equal(lock.writeLocked, false);
  });

  it('wakes at the write release when the writer released and re-took the lock meanwhile (readLockSync() in a worker)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, new URL('../fixtures/shared/lock-tasks.js', import.meta.url), { threads: 1 });
    const lock = new ReadWriteLock();
    const flagged = new SharedFlag();
    const cameBack = new SharedFlag();
    const first = lock.tryWriteLock();
    assert.ok(first !== undefined);
    const reading = pool.run('readWhileWriterComesBack', { lock: lock.toHandle(), flagged: flagged.toHandle(), cameBack: cameBack.toHandle(), timeoutMs: READ_TIMEOUT_MS });
    await flagged.wait({ timeout: READ_TIMEOUT_MS });
    first.release();
    const second = lock.tryWriteLock();
    assert.ok(second !== undefined);
    cameBack.set();
    // Long enough for the reader to be asleep (a release before it sleeps would wake nobody yet show nothing).
    await new Promise((resolve) => setTimeout(resolve, 500));
    second.release();
    const { interleaved, waitedMs } = await reading;
    assert.equal(interleaved, true, 'the interleaving happened');
    assert.ok(waitedMs < WOKEN_WITHIN_MS, `the read lock came ${waitedMs.toFixed(0)} ms after the writer came back (a missed wake-up waits out the ${String(READ_TIMEOUT_MS)} ms timeout)`);
    assert.equal(lock.readers, 0);
    assert.equal(lock.writeLocked, false);
  });
});
