import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedCounter, SharedFlag, type SharedCounterHandle } from 'spindle/shared';
import { startPool, TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/value-tasks.js');
const tasks = new URL('../fixtures/shared/value-tasks.js', import.meta.url);

describe('SharedCounter', () => {
  it('counts exactly what 8 workers add at once (100,000 increments each), read live from the main thread', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 8 });
    const counter = new SharedCounter();
    const seen: number[] = [];
    const runs = Promise.all(Array.from({ length: 8 }, () => pool.run('increment', { counter: counter.toHandle(), times: 100_000 })));
    const timer = setInterval(() => seen.push(counter.value), 1);
    await runs;
    clearInterval(timer);
    assert.equal(counter.value, 800_000);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'the live readings never go back');
  });

  it('resolves waitFor() when a worker\'s updates make the predicate true, and a worker\'s waitForSync() when the main thread\'s do', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 2 });
    const counter = new SharedCounter();
    const reached = counter.waitFor((value) => value >= 50_000, { timeout: 10_000 });
    const incrementing = pool.run('increment', { counter: counter.toHandle(), times: 50_000 });
    assert.ok((await reached) >= 50_000);
    await incrementing;

    const waiting = pool.run('waitForCount', { counter: counter.toHandle(), target: 50_003 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let step = 0; step < 3; step++) counter.increment();
    assert.equal(await waiting, 50_003);
  });

  it('returns the new value from add(), the old one from exchange() and compareExchange(), and wraps as its typed array does', () => {
    const counter = new SharedCounter({ initial: 2 ** 31 - 2 });
    assert.equal(counter.add(1), 2 ** 31 - 1);
    assert.equal(counter.increment(), -(2 ** 31), 'an int32 wraps around');
    assert.equal(counter.exchange(5), -(2 ** 31));
    assert.equal(counter.compareExchange(4, 9), 5, 'not set: the value found is returned');
    assert.equal(counter.compareExchange(5, 9), 5);
    assert.equal(counter.value, 9);
    assert.equal(counter.decrement(), 8);
    const unsigned = new SharedCounter({ type: 'uint32' });
    assert.equal(unsigned.decrement(), 2 ** 32 - 1);
  });

  it('holds 64-bit integers as bigint, and keeps its type through its handle', () => {
    const bytes = new SharedCounter({ type: 'biguint64', initial: 2n ** 53n });
    assert.equal(bytes.add(3n), 2n ** 53n + 3n);
    const handle: SharedCounterHandle<'biguint64'> = structuredClone(bytes.toHandle());
    const twin = SharedCounter.from(handle);
    assert.equal(twin.type, 'biguint64');
    assert.equal(twin.increment(), 2n ** 53n + 4n);
    assert.equal(bytes.value, 2n ** 53n + 4n);
    assert.equal(new SharedCounter({ type: 'bigint64' }).decrement(), -1n);
  });

  it('rejects a value of the wrong kind with ERR_INVALID_ARGUMENT and an unknown type with ERR_INVALID_OPTION', () => {
    const counter = new SharedCounter();
    assert.throws(() => counter.add(1.5), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => counter.add(1n as unknown as number), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => new SharedCounter({ type: 'bigint64' }).add(1 as unknown as bigint), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => new SharedCounter({ type: 'float64' as 'int32' }), { code: 'ERR_INVALID_OPTION' });
    assert.equal(counter.value, 0);
  });
});

describe('SharedFlag', () => {
  it('wakes a worker blocked in waitSync() and an awaiting main thread when set, and stays set until cleared', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 1 });
    const flag = new SharedFlag();
    const waiting = new SharedFlag();
    const worker = pool.run('waitForFlag', { flag: flag.toHandle(), waiting: waiting.toHandle() });
    await waiting.wait({ timeout: 10_000 });
    const main = flag.wait({ timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(flag.isSet, false);
    assert.equal(flag.set(), false);
    await main;
    assert.ok((await worker) >= 20, 'the worker waited until the flag was set');
    assert.equal(flag.set(), true, 'already set');
    await flag.wait({ timeout: 0 });
    assert.equal(flag.clear(), true);
    await assert.rejects(flag.wait({ timeout: 0 }), { code: 'ERR_WAIT_TIMEOUT' });
  });
});
