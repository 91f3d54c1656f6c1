import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { move, ownedCopy, Pool, transfer } from 'spindle';
import { fixture } from './helpers.js';

type Tasks = typeof import('./fixtures/tasks.js');
const MiB = 1024 * 1024;

describe('zero-copy transfer', () => {
  it('round-trips a 64 MiB ArrayBuffer in a fraction of the time a copy takes, detaching it on the sender each way', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    await pool.run('invert', transfer(new ArrayBuffer(16)));
    const moved: number[] = [];
    const copied: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const buffer = new ArrayBuffer(64 * MiB);
      new Uint8Array(buffer)[0] = 7;
      let started = performance.now();
      const returned = await pool.run('invert', transfer(buffer));
      moved.push(performance.now() - started);
      assert.equal(buffer.byteLength, 0, 'the argument was moved, not copied');
      assert.equal(returned.byteLength, 64 * MiB);
      assert.equal(new Uint8Array(returned)[0], 248, 'the worker wrote into the same memory it returned');
      // The same trip with the argument copied (the result still moves back): one 64 MiB clone.
      const kept = new ArrayBuffer(64 * MiB);
      started = performance.now();
      await pool.run('invert', kept);
      copied.push(performance.now() - started);
      assert.equal(kept.byteLength, 64 * MiB, 'a buffer not wrapped with transfer() stays with the sender');
    }
    // Relative, so that a slow or busy machine slows both sides alike: a move costs the same for
    // 1 KiB as for 64 MiB (well under a millisecond), a copy of 64 MiB tens of milliseconds.
    const best = (timings: number[]): number => Math.min(...timings);
    const all = (timings: number[]): string => timings.map((time) => time.toFixed(2)).join(', ');
    assert.ok(
      best(moved) * 4 < best(copied),
      `best moved round trip ${best(moved).toFixed(2)} ms against best copied ${best(copied).toFixed(2)} ms (moved: ${all(moved)}; copied: ${all(copied)})`,
    );
  });

  it('copies a buffer that is not wrapped with transfer(), leaving the sender its own', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const buffer = new ArrayBuffer(1024);
    assert.equal(await pool.run('byteLength', buffer), 1024);
    assert.equal(buffer.byteLength, 1024);
  });

  it('moves the buffers found in a typed array or in the members of an object', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const bytes = new Uint8Array(256);
    const payload = { data: bytes.buffer, other: new Uint16Array(8) };
    await pool.run('echo', transfer(payload));
    assert.equal(bytes.byteLength, 0);
    assert.equal(payload.other.byteLength, 0);
    const alone = new Float64Array(4);
    await pool.run('echo', transfer(alone));
    assert.equal(alone.byteLength, 0);
  });

  it('shares a SharedArrayBuffer instead of copying it', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
    const shared = new SharedArrayBuffer(4);
    const counts = await Promise.all(Array.from({ length: 10 }, () => pool.run('sharedIncrement', transfer(shared))));
    assert.equal(new Int32Array(shared)[0], 10);
    assert.deepEqual([...counts].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('transfers a MessagePort so the task can talk to the caller directly', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const { port1, port2 } = new MessageChannel();
    const received = new Promise((resolve) => port1.once('message', resolve));
    await pool.run('greetThroughPort', transfer(port2, [port2]));
    assert.equal(await received, 'hello through the port');
    port1.close();
  });
});

describe('transfer() and views onto part of a buffer', () => {
  it('copies a small Node Buffer (a slice of the shared pool) instead of detaching the pool', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const neighbour = Buffer.from('neighbour');
    const small = Buffer.from('tiny');
    assert.ok(small.byteLength < small.buffer.byteLength, 'Node pooled this Buffer');
    assert.deepEqual(transfer(small).transferList, [], 'the shared pool is not offered for transfer');
    const owned = new Uint8Array(16);
    assert.deepEqual(transfer(owned).transferList, [owned.buffer]);
    assert.equal(await pool.run('byteLength', transfer(small)), 4);
    assert.equal(small.toString(), 'tiny');
    assert.equal(neighbour.toString(), 'neighbour');
  });

  it('refuses with move() what it cannot move exactly: a pooled Buffer, a partial view, shared memory, the pool itself', () => {
    const small = Buffer.from('tiny');
    assert.throws(() => move(small), { code: 'ERR_NOT_MOVABLE', message: new RegExp(`view of 4 bytes at offset \\d+ of a ${String(Buffer.poolSize)}-byte ArrayBuffer.*shared pool.*ownedCopy`) });
    assert.throws(() => move(new Uint8Array(new ArrayBuffer(16), 4, 4)), { code: 'ERR_NOT_MOVABLE', message: /view of 4 bytes at offset 4/ });
    // @ts-expect-error: shared memory is never moved, and the type says so
    assert.throws(() => move(new SharedArrayBuffer(8)), { code: 'ERR_NOT_MOVABLE', message: /shared/ });
    assert.throws(() => move(small.buffer), { code: 'ERR_NOT_MOVABLE', message: /shared Buffer pool/ });
    assert.equal(small.toString(), 'tiny', 'nothing was detached');
  });

  it('refuses to transfer() the shared Buffer pool itself, which would send other Buffers\' bytes', () => {
    const secret = Buffer.from('another request');
    const small = Buffer.from('mine');
    assert.throws(() => transfer(small.buffer), { code: 'ERR_NOT_MOVABLE' });
    assert.equal(secret.toString(), 'another request');
  });

  it('moves exactly the bytes of an owned copy, and detaches only the copy', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const small = Buffer.from('tiny');
    const copy = ownedCopy(small);
    assert.ok(!Buffer.isBuffer(copy) && copy instanceof Uint8Array);
    assert.equal(copy.byteOffset, 0);
    assert.equal(copy.buffer.byteLength, 4);
    assert.equal(await pool.run('byteLength', move(copy)), 4);
    assert.equal(copy.byteLength, 0, 'the copy was moved');
    assert.equal(small.toString(), 'tiny', 'the original is untouched');
    const floats = ownedCopy(new Float64Array(new ArrayBuffer(64), 8, 2));
    assert.ok(floats instanceof Float64Array && floats.buffer.byteLength === 16);
    const view = ownedCopy(new DataView(new ArrayBuffer(32), 8, 8));
    assert.ok(view instanceof DataView && view.byteOffset === 0 && view.buffer.byteLength === 8);
  });

  it('copies instead of moving a buffer its owner marked untransferable', async () => {
    const { markAsUntransferable } = await import('node:worker_threads');
    const marked = new ArrayBuffer(16);
    markAsUntransferable(marked);
    const found = transfer(new Uint8Array(marked)).transferList;
    // Node 22+ can tell a marked buffer and leaves it out; Node 20 cannot, and copies it when posting.
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    assert.equal(await pool.run('byteLength', transfer(new Uint8Array(marked))), 16);
    assert.equal(marked.byteLength, 16, 'still here: copied, not moved');
    assert.ok(found.length <= 1);
  });
});
