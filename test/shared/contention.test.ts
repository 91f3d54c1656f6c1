/**
 * Correctness under contention: 8 workers at once (on however many cores
 * the machine has; the results must be exact regardless). Each test's run
 * time is bounded by its counts, not by timing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'spindle';
import { Mutex, ReadWriteLock, Semaphore } from 'spindle/shared';
import { TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/lock-tasks.js');
const WORKERS = 8;

describe('locks under contention from 8 workers', () => {
  let pool: Pool<Tasks>;
  before(async () => {
    pool = new Pool<Tasks>(new URL('../fixtures/shared/lock-tasks.js', import.meta.url), { threads: WORKERS });
    await pool.ready;
  });
  after(() => pool.destroy());

  /** Eight tasks contend at once only with one per worker: they go one to each idle worker, so wait until all eight are idle. */
  async function allWorkersIdle(): Promise<void> {
    const started = performance.now();
    while (pool.stats().workers.idle < WORKERS) {
      assert.ok(performance.now() - started < 10_000, `only ${String(pool.stats().workers.idle)} of ${String(WORKERS)} workers idle after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('gives the exact total for 8 workers × 1,000,000 increments of a plain integer under a Mutex (lockSync)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    const total = new SharedArrayBuffer(4);
    await allWorkersIdle();
    const runs = Array.from({ length: WORKERS }, () => pool.run('incrementLocked', { mutex: mutex.toHandle(), total, times: 1_000_000 }));
    assert.deepEqual(await Promise.all(runs), Array<number>(WORKERS).fill(1_000_000));
    assert.equal(new Int32Array(total)[0], WORKERS * 1_000_000);
    assert.equal(mutex.locked, false);
  });

  it('gives the exact total when workers (lock()) and the main thread (lock()) contend with async acquires', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    const total = new SharedArrayBuffer(4);
    const view = new Int32Array(total);
    const runs = Array.from({ length: 4 }, () => pool.run('incrementLockedAsync', { mutex: mutex.toHandle(), total, times: 20_000 }));
    for (let step = 0; step < 2_000; step++) {
      const hold = await mutex.lock();
      view[0] = (view[0] ?? 0) + 1;
      hold.release();
    }
    await Promise.all(runs);
    assert.equal(view[0], 4 * 20_000 + 2_000);
  });

  it('never admits more holders than a Semaphore has permits, and fills them all (shared high-water mark)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const semaphore = new Semaphore(3);
    const inside = new SharedArrayBuffer(8);
    await allWorkersIdle();
    await Promise.all(Array.from({ length: WORKERS }, () => pool.run('useSemaphore', { semaphore: semaphore.toHandle(), inside, rounds: 20_000 })));
    const [now, highWater] = new Int32Array(inside);
    assert.equal(now, 0);
    assert.equal(highWater, 3, `at most 3 and, with 8 workers contending, 3 at some moment; saw ${String(highWater)}`);
    assert.equal(semaphore.available, 3);
  });

  // It once hung now and then under load: a reader slept through a write release (test/shared/read-write-lock.test.ts).
  it('keeps writers alone and readers together under a ReadWriteLock: no torn read, no reader beside a writer', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lock = new ReadWriteLock();
    const state = new SharedArrayBuffer(24);
    await allWorkersIdle();
    await Promise.all(Array.from({ length: WORKERS }, (_, index) => pool.run('useReadWriteLock', { lock: lock.toHandle(), state, rounds: 5_000, writer: index < 3 })));
    const [, , inside, mostReaders, torn, writerWithReaders] = new Int32Array(state);
    assert.equal(torn, 0);
    assert.equal(writerWithReaders, 0);
    assert.equal(inside, 0);
    assert.ok((mostReaders ?? 0) >= 1);
    assert.equal(lock.readers, 0);
    assert.equal(lock.writeLocked, false);
  });
});
