import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'spindle';
import { ByteChannel, RecordChannel } from 'spindle/shared';
import { SAMPLE } from '../fixtures/shared/channel-tasks.js';
import { CHUNK_SIZES, matchesStream, streamBytes } from '../fixtures/shared/stream-pattern.js';
import { TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/channel-tasks.js');
const MB = 1024 * 1024;

describe('ByteChannel', () => {
  let pool: Pool<Tasks>;
  before(async () => {
    pool = new Pool<Tasks>(new URL('../fixtures/shared/channel-tasks.js', import.meta.url), { threads: 2 });
    await pool.ready;
  });
  after(() => pool.destroy());

  it('delivers every byte of 100 MB in order between two workers at full speed through a 64 KiB ring (blocking ends)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 64 * 1024 });
    const [written, read] = await Promise.all([pool.run('produceBytes', { channel: channel.toHandle(), total: 100 * MB }), pool.run('consumeBytes', { channel: channel.toHandle() })]);
    assert.equal(written, 100 * MB);
    assert.deepEqual(read, { bytes: 100 * MB, firstMismatch: -1 });
  });

  it('streams 16 MB from a worker to the main thread\'s async reader (for await), in order', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 64 * 1024 });
    const reader = channel.reader();
    const producing = pool.run('produceBytes', { channel: channel.toHandle(), total: 16 * MB });
    let position = 0;
    let mismatches = 0;
    for await (const chunk of reader) {
      if (!matchesStream(chunk, position)) mismatches++;
      position += chunk.length;
    }
    assert.equal(await producing, 16 * MB);
    assert.equal(position, 16 * MB);
    assert.equal(mismatches, 0);
  });

  it('streams 16 MB from the main thread\'s async writer to a worker, waiting for room without blocking', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 64 * 1024 });
    const writer = channel.writer();
    const consuming = pool.run('consumeBytes', { channel: channel.toHandle() });
    for (let position = 0, turn = 0; position < 16 * MB; turn++) {
      const size = Math.min(CHUNK_SIZES[turn % CHUNK_SIZES.length] ?? 1, 16 * MB - position);
      await writer.write(streamBytes(position, size));
      position += size;
    }
    writer.close();
    assert.deepEqual(await consuming, { bytes: 16 * MB, firstMismatch: -1 });
  });

  it('applies back-pressure: tryWrite() takes only what fits, and a waiting write() completes as the reader frees room', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 16 });
    const writer = channel.writer();
    const reader = channel.reader();
    assert.equal(writer.tryWrite(streamBytes(0, 20)), 16);
    assert.equal(writer.tryWrite(streamBytes(16, 4)), 0);
    let done = false;
    const writing = writer.write(streamBytes(16, 20)).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(done, false, 'the writer waits while the channel is full');
    const into = new Uint8Array(64);
    const received: number[] = [];
    while (received.length < 36) {
      const read = await reader.read(into, { timeout: 2_000 });
      assert.ok(read !== null);
      received.push(...into.subarray(0, read));
    }
    await writing;
    assert.ok(matchesStream(Uint8Array.from(received), 0));
    assert.equal(channel.buffered, 0);
  });

  it('ends the stream when the writer closes: buffered bytes are read first, then null; writing afterwards throws ERR_CHANNEL_CLOSED', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 64 });
    const writer = channel.writer();
    const reader = channel.reader();
    writer.tryWrite(streamBytes(0, 10));
    writer.close();
    const into = new Uint8Array(64);
    assert.equal(reader.tryRead(into), 10);
    assert.equal(reader.tryRead(into), null);
    assert.equal(await reader.read(into), null);
    assert.throws(() => writer.tryWrite(new Uint8Array(1)), { code: 'ERR_CHANNEL_CLOSED' });
  });

  it('tells the writer when the reader closed: a waiting write() rejects with ERR_CHANNEL_CLOSED', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 16 });
    const writer = channel.writer();
    const reader = channel.reader();
    const writing = writer.write(new Uint8Array(64));
    reader.close();
    await assert.rejects(writing, { code: 'ERR_CHANNEL_CLOSED', message: /closed by its reader/ });
  });

  it('gives each end to one thread at a time: another thread gets ERR_CHANNEL_END_TAKEN until release()', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel();
    const writer = channel.writer();
    assert.equal(await pool.run('takeEnd', { channel: channel.toHandle(), end: 'writer' }), 'ERR_CHANNEL_END_TAKEN');
    assert.equal(await pool.run('takeEnd', { channel: channel.toHandle(), end: 'reader' }), 'taken');
    writer.release();
    assert.equal(await pool.run('takeEnd', { channel: channel.toHandle(), end: 'writer' }), 'taken');
  });

  it('when the writer\'s worker dies before closing: the reader gets what was written, then ERR_CHANNEL_PEER_DIED instead of waiting forever', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 1024 });
    const reader = channel.reader();
    await assert.rejects(pool.run('writeThenExit', { channel: channel.toHandle(), bytes: 100 }), { code: 'ERR_WORKER_EXITED' });
    const into = new Uint8Array(1024);
    assert.equal(await reader.read(into, { timeout: 5_000 }), 100);
    assert.ok(matchesStream(into.subarray(0, 100), 0));
    await assert.rejects(reader.read(into, { timeout: 5_000 }), { code: 'ERR_CHANNEL_PEER_DIED' });
  });

  it('when the reader\'s worker dies: the writer\'s next write rejects with ERR_CHANNEL_PEER_DIED', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new ByteChannel({ capacity: 16 });
    const writer = channel.writer();
    await assert.rejects(pool.run('takeReaderThenExit', { channel: channel.toHandle() }), { code: 'ERR_WORKER_EXITED' });
    await assert.rejects(writer.write(new Uint8Array(64), { timeout: 5_000 }), { code: 'ERR_CHANNEL_PEER_DIED' });
  });

  it('rounds its capacity up to a power of two and rejects a wrong one with ERR_INVALID_OPTION', () => {
    assert.equal(new ByteChannel({ capacity: 1000 }).capacity, 1024);
    assert.equal(new ByteChannel({ capacity: 1 }).capacity, 16);
    for (const capacity of [0, -1, 1.5, 2 ** 31, Number.NaN]) assert.throws(() => new ByteChannel({ capacity }), { code: 'ERR_INVALID_OPTION' }, String(capacity));
  });

  it('rejects what is not bytes with ERR_INVALID_ARGUMENT', () => {
    const channel = new ByteChannel();
    assert.throws(() => channel.writer().tryWrite([1, 2] as unknown as Uint8Array), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => channel.reader().tryRead('buffer' as unknown as Uint8Array), { code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('RecordChannel', () => {
  let pool: Pool<Tasks>;
  before(() => {
    pool = new Pool<Tasks>(new URL('../fixtures/shared/channel-tasks.js', import.meta.url), { threads: 1 });
  });
  after(() => pool.destroy());

  it('delivers 20,000 typed records from a worker to the main thread in order, each whole', { timeout: TEST_TIMEOUT_MS }, async () => {
    const channel = new RecordChannel(SAMPLE, { capacity: 256 });
    const reader = channel.reader();
    const producing = pool.run('produceRecords', { channel: channel.toHandle(), count: 20_000 });
    let expected = 0;
    let wrong = 0;
    for await (const record of reader) {
      if (record.index !== expected || record.value !== expected / 4 || record.label !== `#${String(expected)}`) wrong++;
      expected++;
    }
    assert.equal(await producing, 20_000);
    assert.equal(expected, 20_000);
    assert.equal(wrong, 0);
  });

  it('reports undefined when empty and null at the end; a bad record is refused with ERR_INVALID_ARGUMENT and nothing is sent', () => {
    const channel = new RecordChannel(SAMPLE, { capacity: 2 });
    const writer = channel.writer();
    const reader = channel.reader();
    assert.equal(reader.tryRead(), undefined);
    assert.throws(() => writer.tryWrite({ index: 1, value: 'x' as unknown as number, label: '' }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => writer.tryWrite({ index: 1, value: 1, label: 'far too long a label' }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.equal(channel.buffered, 0);
    assert.equal(writer.tryWrite({ index: 1, value: 1, label: 'é' }), true);
    assert.equal(writer.tryWrite({ index: 2, value: 2, label: '' }), true);
    assert.equal(writer.tryWrite({ index: 3, value: 3, label: '' }), false, 'full');
    writer.close();
    assert.deepEqual(reader.tryRead(), { index: 1, value: 1, label: 'é' });
    assert.deepEqual(reader.tryRead(), { index: 2, value: 2, label: '' });
    assert.equal(reader.tryRead(), null);
  });
});

describe('ByteChannel read in place', () => {
  it('shows buffered bytes in place with tryPeek() and frees them with consume(), across the wrap of the ring', () => {
    const channel = new ByteChannel({ capacity: 16 });
    const writer = channel.writer();
    const reader = channel.reader();
    writer.tryWrite(streamBytes(0, 12));
    assert.equal(reader.tryRead(new Uint8Array(10)), 10);
    writer.tryWrite(streamBytes(12, 10)); // 6 bytes to the end of the ring, then 4 at its start
    const first = reader.tryPeek();
    assert.ok(first !== null && matchesStream(first, 10) && first.length === 6, 'the view stops at the end of the ring');
    assert.throws(() => { reader.consume(7); }, { code: 'ERR_INVALID_ARGUMENT' });
    reader.consume(6);
    const second = reader.tryPeek();
    assert.ok(second !== null && matchesStream(second, 16) && second.length === 6);
    reader.consume(2);
    assert.equal(channel.buffered, 4);
    writer.close();
    assert.ok(matchesStream(reader.tryPeek() ?? new Uint8Array(1), 18));
    reader.consume(4);
    assert.equal(reader.tryPeek(), null);
  });

  it('refuses an end used after release() with ERR_CHANNEL_END_TAKEN', () => {
    const channel = new ByteChannel();
    const writer = channel.writer();
    writer.release();
    assert.throws(() => writer.tryWrite(new Uint8Array(1)), { code: 'ERR_CHANNEL_END_TAKEN', message: /released/ });
    assert.equal(channel.writer().tryWrite(new Uint8Array(1)), 1);
  });
});
