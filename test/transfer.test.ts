import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { describe, it } from 'node:test';
import { Pool, transfer } from 'spindle';
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
});
