import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'spindle';
import { Mutex, ReadWriteLock, Semaphore, SharedFlag } from 'spindle/shared';
import { TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/lock-tasks.js');

describe('a blocking acquire by a thread that already holds what it waits for', () => {
  let pool: Pool<Tasks>;
  before(() => {
    pool = new Pool<Tasks>(new URL('../fixtures/shared/lock-tasks.js', import.meta.url), { threads: 2 });
  });
  after(() => pool.destroy());

  const cases = [
    { name: 'a Mutex taken twice', first: 'mutex', second: 'mutex', expected: 'ERR_LOCK_REENTRANT' },
    { name: 'a write lock taken twice', first: 'write', second: 'write', expected: 'ERR_LOCK_REENTRANT' },
    { name: 'a write lock asked for while holding a read lock (an upgrade)', first: 'read', second: 'write', expected: 'ERR_LOCK_REENTRANT' },
    { name: 'a read lock asked for while holding the write lock', first: 'write', second: 'read', expected: 'ERR_LOCK_REENTRANT' },
    { name: 'a second read lock with no writer waiting', first: 'read', second: 'read', expected: 'acquired' },
  ] as const;
  for (const { name, first, second, expected } of cases) {
    it(`${expected === 'acquired' ? 'grants' : 'reports, instead of hanging,'} ${name}`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const result = await pool.run('acquireTwice', { mutex: new Mutex().toHandle(), lock: new ReadWriteLock().toHandle(), first, second });
      assert.equal(result, expected);
    });
  }

  it('reports a thread that holds every permit of a Semaphore and asks for one more, and grants it while one is free', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.equal(await pool.run('acquireTwice', { semaphore: new Semaphore(1).toHandle(), first: 'permit', second: 'permit' }), 'ERR_LOCK_REENTRANT');
    assert.equal(await pool.run('acquireTwice', { semaphore: new Semaphore(2).toHandle(), first: 'permit', second: 'permit' }), 'acquired');
  });

  it('reports a second read lock while a writer waits for this thread\'s first (the writer would wait for it, and it for the writer), and the writer then gets in', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lock = new ReadWriteLock();
    const shared = { lock: lock.toHandle(), readerHolds: new SharedFlag().toHandle(), writerWaiting: new SharedFlag().toHandle() };
    // The writer may start first (on the other thread, or moved there from behind the reader): it waits for readerHolds.
    const writer = pool.run('writeAfterReaders', shared);
    const reader = pool.run('readAgainWhileWriterWaits', shared);
    assert.equal(await reader, 'ERR_LOCK_REENTRANT');
    assert.equal(await writer, true);
  });
});
