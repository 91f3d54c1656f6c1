import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingBuffer } from '../../src/pool/ring-buffer.js';

describe('RingBuffer', () => {
  it('returns items in the order they were pushed, across growth', () => {
    const buffer = new RingBuffer<number>(2);
    for (let index = 0; index < 100; index++) buffer.push(index);
    const out: number[] = [];
    for (let item = buffer.shift(); item !== undefined; item = buffer.shift()) out.push(item);
    assert.deepEqual(out, Array.from({ length: 100 }, (_, index) => index));
  });
});
