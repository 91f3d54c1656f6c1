import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownedBytes } from '../../demo/work/owned-bytes.js';

describe('ownedBytes (what may be moved with transfer())', () => {
  it('keeps bytes that are the whole of their ArrayBuffer, without copying', () => {
    const bytes = new Uint8Array(16);
    const owned = ownedBytes(bytes);
    assert.equal(owned.buffer, bytes.buffer);
  });

  it("copies a small Buffer, which is a slice of Node's shared pool", () => {
    const small = Buffer.from('tiny');
    assert.ok(small.buffer.byteLength > small.byteLength, 'Node pools small Buffers');
    const owned = ownedBytes(small);
    assert.notEqual(owned.buffer, small.buffer);
    assert.equal(owned.buffer.byteLength, 4);
    assert.equal(Buffer.from(owned).toString(), 'tiny');
  });

  it('copies a view into part of a larger buffer, so moving it never takes the neighbours along', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const owned = ownedBytes(whole.subarray(2, 4));
    assert.deepEqual([...owned], [3, 4]);
    assert.equal(owned.buffer.byteLength, 2);
  });
});
