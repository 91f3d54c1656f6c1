import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpindleError } from 'spindle';
import { Mutex, type MutexHandle } from 'spindle/shared';
import { TEST_TIMEOUT_MS } from './start-pool.js';

describe('Mutex on one thread', () => {
  it('is taken by tryLock() when free, and refuses a second tryLock() until released', () => {
    const mutex = new Mutex();
    const hold = mutex.tryLock();
    assert.ok(hold !== undefined);
    assert.equal(hold.ownerDied, false);
    assert.equal(mutex.locked, true);
    assert.equal(mutex.holderThreadId, 0, 'the main thread holds it');
    assert.equal(mutex.tryLock(), undefined);
    hold.release();
    assert.equal(mutex.locked, false);
    assert.equal(mutex.holderThreadId, undefined);
    assert.ok(mutex.tryLock() !== undefined);
  });

  it('makes the async functions of one thread take turns, in the order they asked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    const worker = async (name: string): Promise<void> => {
      await mutex.withLock(async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`${name} out`);
      });
    };
    await Promise.all([worker('a'), worker('b'), worker('c')]);
    assert.deepEqual(order, ['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    assert.equal(mutex.locked, false);
  });

  it('releases through withLock() when the critical section throws, and passes the error on', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    await assert.rejects(mutex.withLock(() => Promise.reject(new Error('inside'))), /inside/);
    assert.equal(mutex.locked, false);
  });

  it('releases a hold at the end of a using block, and a release before it does not count twice', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    {
      using hold = await mutex.lock();
      assert.equal(hold.held, true);
      assert.equal(mutex.locked, true);
    }
    assert.equal(mutex.locked, false);
    {
      using hold = await mutex.lock();
      hold.release();
      assert.equal(hold.held, false);
    }
    assert.equal(mutex.locked, false);
  });

  it('rejects a second release of one hold with ERR_LOCK_NOT_HELD, and leaves the next holder\'s hold alone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    const first = await mutex.lock();
    first.release();
    const second = await mutex.lock();
    assert.throws(() => { first.release(); }, (error: Error & { code?: string }) => error.code === 'ERR_LOCK_NOT_HELD' && SpindleError.is(error));
    assert.equal(mutex.locked, true, 'the stale release did not free the second hold');
    second.release();
  });

  it('refuses lockSync() on the main thread with ERR_BLOCKING_MAIN_THREAD, whose message names the async form', () => {
    const mutex = new Mutex();
    assert.throws(() => mutex.lockSync(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_BLOCKING_MAIN_THREAD');
      assert.match(error.message, /await mutex\.lock\(\)/);
      return true;
    });
    assert.throws(() => mutex.withLockSync(() => 1), { code: 'ERR_BLOCKING_MAIN_THREAD' });
  });

  it('rebuilds around the same memory from its handle, and the handle is plain data that survives structured clone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    const handle = structuredClone(mutex.toHandle());
    assert.deepEqual(Object.keys(handle).sort(), ['buffer', 'kind']);
    assert.equal(Object.getPrototypeOf(handle), Object.prototype);
    const twin = Mutex.from(handle);
    const hold = await twin.lock();
    assert.equal(mutex.locked, true);
    assert.equal(mutex.tryLock(), undefined);
    hold.release();
    assert.equal(mutex.locked, false);
  });

  it('rejects what is not a mutex handle with ERR_INVALID_ARGUMENT', () => {
    for (const bad of [undefined, {}, { kind: 'spindle:mutex', buffer: new ArrayBuffer(4) }, { kind: 'spindle:semaphore', buffer: new SharedArrayBuffer(64) }, { kind: 'spindle:mutex', buffer: new SharedArrayBuffer(0) }]) {
      assert.throws(() => Mutex.from(bad as unknown as MutexHandle), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(bad));
    }
  });

  it('rejects wrong wait options with ERR_INVALID_OPTION in the core\'s message format', { timeout: TEST_TIMEOUT_MS }, async () => {
    const mutex = new Mutex();
    await assert.rejects(mutex.lock({ timeout: -1 }), { code: 'ERR_INVALID_OPTION', message: 'Expected `timeout` to be a number of milliseconds >= 0 (Infinity for none), got `-1` (number)' });
    await assert.rejects(mutex.lock({ timeout: Number.NaN }), { code: 'ERR_INVALID_OPTION' });
    await assert.rejects(mutex.lock({ signal: 'soon' as unknown as AbortSignal }), { code: 'ERR_INVALID_OPTION' });
    assert.equal(mutex.locked, false);
  });
});
