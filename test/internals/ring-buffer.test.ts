import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingBuffer } from '../../src/util/ring-buffer.js';

describe('RingBuffer', () => {
  it('returns items in the order they were pushed, across growth', () => {
    const buffer = new RingBuffer<number>(2);
    for (let index = 0; index < 100; index++) buffer.push(index);
    const out: number[] = [];
    for (let item = buffer.shift(); item !== undefined; item = buffer.shift()) out.push(item);
    assert.deepEqual(out, Array.from({ length: 100 }, (_, index) => index));
  });
});

describe('RingBuffer at both ends', () => {
  it('pushes to the front, pops from the back and peeks at the head while wrapping around', () => {
    const buffer = new RingBuffer<number>();
    assert.equal(buffer.pop(), undefined);
    assert.equal(buffer.peek(), undefined);
    for (let index = 0; index < 10; index++) buffer.push(index);
    for (let index = 0; index < 8; index++) buffer.shift();
    for (let index = 0; index < 20; index++) buffer.unshift(-index);
    assert.equal(buffer.length, 22);
    assert.equal(buffer.peek(), -19);
    assert.equal(buffer.pop(), 9);
    assert.equal(buffer.pop(), 8);
    assert.equal(buffer.shift(), -19);
    assert.equal(buffer.length, 19);
  });
});
