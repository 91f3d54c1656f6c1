import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { recoverDeadThread, SharedCell, SharedRecords, type Schema } from 'spindle/shared';
import { CELL } from '../../src/shared/slots.js';
import { PROGRESS, ROWS, TWINS, twin } from '../fixtures/shared/value-tasks.js';
import { startPool, TEST_TIMEOUT_MS } from './start-pool.js';

type Tasks = typeof import('../fixtures/shared/value-tasks.js');
const tasks = new URL('../fixtures/shared/value-tasks.js', import.meta.url);

describe('SharedCell', () => {
  it('shows the main thread the live progress of one long task, without messages, ending at its last write', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 1 });
    const progress = new SharedCell(PROGRESS, { done: 0, total: 0, stage: 'queued' });
    const seen: number[] = [];
    const running = pool.run('reportProgress', { cell: progress.toHandle(), steps: 2_000, spinUs: 100 });
    for (let { version } = progress.snapshot(); progress.read().stage !== 'done'; ) {
      const next = await progress.waitForChange(version, { timeout: 10_000 });
      version = next.version;
      seen.push(next.value.done);
    }
    await running;
    assert.deepEqual(progress.read(), { done: 2_000, total: 2_000, stage: 'done' });
    assert.ok(seen.length > 10, `saw ${String(seen.length)} distinct steps while the task ran`);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  });

  it('never shows a torn record: the main thread reading as fast as it can while a worker writes 200,000 records as fast as it can sees whole records only', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 1 });
    const cell = new SharedCell(TWINS, twin(0));
    const writing = pool.run('writeTwins', { cell: cell.toHandle(), writes: 200_000 });
    let torn = 0;
    let reads = 0;
    let lastVersion = 0;
    const distinct = new Set<number>();
    while (cell.version === 0) await new Promise((resolve) => setImmediate(resolve));
    for (let version = 0; version < 200_000; ) {
      const snapshot = cell.snapshot();
      const { value } = snapshot;
      version = snapshot.version;
      distinct.add(value.n);
      const expected = twin(value.n);
      if (value.negative !== expected.negative || value.big !== expected.big || value.label !== expected.label || value.even !== expected.even) torn++;
      assert.ok(version >= lastVersion);
      lastVersion = version;
      reads++;
    }
    assert.equal(await writing, 200_000);
    assert.equal(torn, 0);
    assert.ok(distinct.size >= 10, `the reads overlapped the writes (${String(distinct.size)} distinct values seen in ${String(reads)} reads)`);
    assert.deepEqual(cell.read(), twin(200_000));
    assert.equal(cell.version, 200_000);
  });

  it('refuses a write while another thread\'s write is in progress (ERR_CELL_BUSY), and a dead writer\'s half-done write leaves the last whole value', () => {
    const cell = new SharedCell(PROGRESS, { done: 1, total: 2, stage: 'a' });
    const words = new Int32Array(cell.toHandle().buffer);
    const deadThreadId = threadId + 1_000_000;
    Atomics.store(words, CELL.WRITER, deadThreadId + 1); // as a thread that died inside write()
    Atomics.store(words, CELL.WRITE_SEQ, Atomics.load(words, CELL.VERSION) + 1);
    assert.throws(() => { cell.write({ done: 2, total: 2, stage: 'b' }); }, { code: 'ERR_CELL_BUSY', threadId: deadThreadId });
    assert.deepEqual(cell.read(), { done: 1, total: 2, stage: 'a' });
    assert.equal(recoverDeadThread(deadThreadId), 1);
    cell.write({ done: 2, total: 2, stage: 'b' });
    assert.deepEqual(cell.read(), { done: 2, total: 2, stage: 'b' });
  });

  it('checks a whole record before writing any of it, and merges with update()', () => {
    const cell = new SharedCell(PROGRESS, { done: 0, total: 10, stage: 'start' });
    assert.throws(() => { cell.write({ done: 1, total: 'ten' as unknown as number, stage: 'x' }); }, { code: 'ERR_INVALID_ARGUMENT', message: /`total`/ });
    assert.throws(() => { cell.write({ done: 1, total: 10, stage: 'a stage name too long' }); }, { code: 'ERR_INVALID_ARGUMENT', message: /at most 16 UTF-8 bytes/ });
    assert.equal(cell.version, 0);
    assert.deepEqual(cell.update({ done: 5 }), { done: 5, total: 10, stage: 'start' });
    assert.deepEqual(SharedCell.from(structuredClone(cell.toHandle())).read(), { done: 5, total: 10, stage: 'start' });
  });
});

describe('SharedRecords', () => {
  it('is shared with tasks without a copy: rows written in workers are read on the main thread, and Atomics on an integer column count exactly', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const pool = startPool<Tasks>(t, tasks, { threads: 4 });
    const records = new SharedRecords(ROWS, 10_000);
    await Promise.all([0, 1, 2, 3].map((part) => pool.run('fillRows', { records: records.toHandle(), from: part * 2_500, to: (part + 1) * 2_500 })));
    assert.deepEqual(records.get(4_321), { id: 4_321, hits: 4, score: 2_160.5, name: 'r321' });
    assert.deepEqual([...new Set(records.column('hits'))], [4]);
    assert.equal(records.column('id')[9_999], 9_999);
  });

  it('stores each field in a column of its own typed array, numbers, bigints, booleans and fixed-length UTF-8 strings alike', () => {
    const schema = { tiny: 'int8', flag: 'bool', wide: 'biguint64', ratio: 'float32', label: { utf8: 6 } } as const satisfies Schema;
    const records = new SharedRecords(schema, 3);
    records.set(1, { tiny: -5, flag: true, wide: 2n ** 63n, ratio: 0.5, label: 'héllo' });
    assert.deepEqual(records.get(1), { tiny: -5, flag: true, wide: 2n ** 63n, ratio: 0.5, label: 'héllo' });
    assert.deepEqual(records.get(0), { tiny: 0, flag: false, wide: 0n, ratio: 0, label: '' });
    assert.ok(records.column('wide') instanceof BigUint64Array);
    assert.ok(records.column('tiny') instanceof Int8Array);
    assert.equal(records.column('label').length, 3 * 6);
    records.setField(2, 'label', 'abcdef');
    assert.equal(records.getField(2, 'label'), 'abcdef', 'a string may fill its field exactly');
    assert.deepEqual(records.schema, schema);
  });

  it('rejects a string too long or holding U+0000, an unknown field, a value of the wrong type and an index out of range with ERR_INVALID_ARGUMENT, writing nothing', () => {
    const records = new SharedRecords(ROWS, 2);
    records.set(0, { id: 1, hits: 2, score: 3, name: 'keep' });
    for (const bad of [{ id: 9, name: 'ninebytes' }, { id: 9, name: 'a\0b' }, { id: 9, nope: 1 }, { id: 9, score: '3' }]) {
      assert.throws(() => { records.set(0, bad as never); }, { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(bad));
    }
    assert.deepEqual(records.get(0), { id: 1, hits: 2, score: 3, name: 'keep' });
    for (const index of [-1, 2, 0.5]) assert.throws(() => records.get(index), { code: 'ERR_INVALID_ARGUMENT' }, String(index));
    assert.throws(() => records.column('nope' as 'id'), { code: 'ERR_INVALID_ARGUMENT' });
  });

  it('rejects a schema with an unknown field type, or none, with ERR_INVALID_ARGUMENT', () => {
    for (const schema of [{}, { x: 'float128' }, { s: { utf8: 0 } }, { s: { utf8: 1.5 } }, []]) {
      assert.throws(() => new SharedRecords(schema as Schema, 1), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(schema));
    }
    assert.throws(() => new SharedRecords(ROWS, -1), { code: 'ERR_INVALID_OPTION' });
  });
});
