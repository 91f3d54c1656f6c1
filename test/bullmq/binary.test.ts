import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transfer } from 'spindle';
import { closeEverything, openQueuePool, startNode, uniqueQueue, type FleetTasks } from './fleet-helpers.js';
import type { QueuePool } from 'spindle/bullmq';
import { startRedisServer, type RedisServer } from './redis-server.js';

const MiB = 1024 * 1024;

/** Bytes that differ from position to position, so that a shift or a truncation shows. */
function pattern(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + seed) & 0xff;
  return bytes;
}

describe('binary data across the queue', { timeout: 120_000 }, () => {
  let redis: RedisServer | undefined;
  /** One node and one producer on one queue for every test of this file. */
  let fleet: QueuePool<FleetTasks>;
  before(async () => {
    redis = await startRedisServer();
    const queue = uniqueQueue('binary');
    await startNode(redis.url, queue, {}, { threads: 1 });
    fleet = await openQueuePool(redis.url, queue);
  });
  after(async () => {
    await closeEverything();
    await redis?.stop();
  });

  // Up to 2 MiB in each of two fields: 4 MiB of bytes each way, 5.4 MiB of base64 in Redis and in the event stream.
  for (const size of [0, 1, 4_095, 64 * 1024, 2 * MiB]) {
    it(`round-trips ArrayBuffer, Uint8Array, Float64Array, BigInt64Array and DataView byte for byte in the argument and the result (${size.toLocaleString('en')} bytes)`, { timeout: 60_000 }, async () => {
      const bytes = pattern(size, 7);
      const buffer = pattern(size, 11).buffer;
      const floats = Float64Array.from({ length: Math.ceil(size / 64) }, (_, index) => index / 3);
      const input = {
        bytes,
        buffer,
        floats,
        big: BigInt64Array.of(-(2n ** 63n), 0n, 2n ** 63n - 1n),
        view: new DataView(pattern(16, 3).buffer),
        when: new Date('2026-01-02T03:04:05.678Z'),
        lookup: new Map([['odd', new Set([1, 3])]]),
        missing: undefined,
        special: [Number.NaN, Infinity, -Infinity, -0],
      };
      const result = await fleet.run('transform', input);
      assert.ok(result.bytes instanceof Uint8Array && result.buffer instanceof ArrayBuffer && result.floats instanceof Float64Array && result.view instanceof DataView);
      assert.deepEqual(result.bytes, bytes.map((byte) => 255 - byte));
      assert.deepEqual(new Uint8Array(result.buffer), new Uint8Array(buffer).map((byte) => 255 - byte));
      assert.deepEqual(result.floats, floats.map((value) => value * 2));
      assert.deepEqual(result.big, input.big);
      assert.deepEqual(new Uint8Array(result.view.buffer), pattern(16, 3));
      assert.deepEqual(result.when, input.when);
      assert.deepEqual(result.lookup, input.lookup);
      assert.ok('missing' in result, 'an undefined field arrives as a field');
      assert.deepEqual(result.special, [Number.NaN, Infinity, -Infinity, -0]);
      assert.ok(Object.is(result.special[3], -0));
      let checksum = 0;
      for (const byte of bytes) checksum = (checksum + byte) % 1_000_003;
      assert.equal(result.checksum, checksum, 'the node saw the very bytes that were sent');
    });
  }

  it('a Buffer argument arrives as a Uint8Array, a Buffer result comes back as one, and a transfer() wrapper is accepted', { timeout: 30_000 }, async () => {
    const shouted = await fleet.run('upper', Buffer.from('quiet words'));
    assert.equal(Object.getPrototypeOf(shouted), Uint8Array.prototype);
    assert.equal(Buffer.from(shouted).toString(), 'QUIET WORDS');
    const moved = await fleet.run('upper', transfer(new TextEncoder().encode('moved')));
    assert.equal(new TextDecoder().decode(moved), 'MOVED');
  });

  it('an argument that cannot be encoded rejects with ERR_ARGUMENT_NOT_CLONEABLE before any job is added', { timeout: 30_000 }, async () => {
    assert.ok(redis !== undefined);
    const empty = await openQueuePool(redis.url, uniqueQueue('not-cloneable'));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(empty.run('square', cyclic as unknown as number), (error: Error & { code?: string; cause?: Error }) => {
      assert.equal(error.code, 'ERR_ARGUMENT_NOT_CLONEABLE');
      assert.match(error.cause?.message ?? '', /`self` refers back to an object that contains it/);
      return true;
    });
    await assert.rejects(empty.run('square', (() => 1) as unknown as number), { code: 'ERR_ARGUMENT_NOT_CLONEABLE' });
    assert.equal(await empty.queue.count(), 0);
  });

  it('a task without an argument is called with undefined', { timeout: 30_000 }, async () => {
    assert.equal(await fleet.run('noArgument'), 'none needed');
  });
});
