import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeValue, encodeValue } from 'spindle/bullmq';

/** Through JSON, as BullMQ stores it. */
const roundTrip = (value: unknown): unknown => decodeValue(JSON.parse(JSON.stringify(encodeValue(value))));

describe('the fleet codec (encodeValue / decodeValue)', () => {
  it('leaves JSON data exactly as it is, so plain BullMQ producers and dashboards see plain data', () => {
    const data = { name: 'invoice', lines: [1, 2.5, -3], paid: false, note: null, nested: { deep: ['x'] } };
    assert.deepEqual(encodeValue(data), data);
    assert.equal(JSON.stringify(encodeValue(data)), JSON.stringify(data));
    assert.deepEqual(decodeValue(data), data);
  });

  it('round-trips what a structured clone carries and JSON does not', () => {
    const values: unknown[] = [
      undefined,
      Number.NaN,
      Infinity,
      -Infinity,
      12345678901234567890n,
      new Date('2026-05-06T07:08:09.010Z'),
      /a+b/giu,
      new Map<unknown, unknown>([[1, 'one'], [{ key: true }, new Set(['nested'])]]),
      new Set([1, 'two', undefined]),
      { present: undefined },
      [1, undefined, 3],
      Uint8Array.of(0, 1, 255),
      Int16Array.of(-32768, 32767),
      Float32Array.of(1.5, -0.25),
      BigUint64Array.of(2n ** 64n - 1n),
      Uint8ClampedArray.of(0, 255),
    ];
    for (const value of values) assert.deepEqual(roundTrip(value), value, `${Object.prototype.toString.call(value)} ${String(value)}`);
    assert.ok(Object.is(roundTrip(-0), -0));
    const invalidDate = roundTrip(new Date(Number.NaN));
    assert.ok(invalidDate instanceof Date && Number.isNaN(invalidDate.getTime()));
    const shared = roundTrip(new Uint8Array(new SharedArrayBuffer(3)).fill(9).buffer);
    assert.ok(shared instanceof SharedArrayBuffer && new Uint8Array(shared).every((byte) => byte === 9));
    const view = roundTrip(new DataView(Uint8Array.of(1, 2, 3).buffer, 1, 2));
    assert.ok(view instanceof DataView);
    assert.deepEqual(new Uint8Array(view.buffer), Uint8Array.of(2, 3), 'a view sends its own bytes only');
  });

  it('sends a view onto part of a buffer as its bytes only, and decodes bytes into buffers of their own (movable with transfer())', () => {
    const small = Buffer.from('tiny'); // a slice of Node's shared 8 KiB Buffer pool
    const encoded = encodeValue(small) as { base64: string };
    assert.equal(Buffer.from(encoded.base64, 'base64').toString(), 'tiny');
    const decoded = decodeValue(encoded) as Uint8Array;
    assert.equal(Object.getPrototypeOf(decoded), Uint8Array.prototype, 'a Buffer arrives as a Uint8Array, as from a worker thread');
    assert.deepEqual([decoded.byteOffset, decoded.buffer.byteLength], [0, 4]);
    const large = decodeValue(encodeValue(new Uint8Array(1 << 20).fill(7))) as Uint8Array;
    assert.deepEqual([large.byteOffset, large.buffer.byteLength, large[12345]], [0, 1 << 20, 7]);
  });

  it('wraps an object that has a $spindle key of its own, so that no data is ever read as a tag', () => {
    const tricky = { $spindle: 'Date', value: '0', inner: { $spindle: 'undefined' } };
    assert.deepEqual(roundTrip(tricky), tricky);
    assert.deepEqual(roundTrip([tricky]), [tricky]);
  });

  it('sends a class instance as a plain object of its own fields, and an Error with its name, message, code, stack and cause', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get length(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    assert.deepEqual(roundTrip(new Point(3, 4)), { x: 3, y: 4 });
    const error = Object.assign(new RangeError('out of range', { cause: new Error('inner') }), { code: 'E_RANGE' });
    const decoded = roundTrip(error) as RangeError & { code: string; cause: Error };
    assert.ok(decoded instanceof RangeError);
    assert.deepEqual([decoded.message, decoded.code, decoded.cause.message, decoded.stack], ['out of range', 'E_RANGE', 'inner', error.stack]);
  });

  it('sends two references to one object as two copies', () => {
    const shared = { n: 1 };
    const decoded = roundTrip({ a: shared, b: shared }) as { a: object; b: object };
    assert.deepEqual(decoded.a, decoded.b);
    assert.notEqual(decoded.a, decoded.b);
  });

  it('refuses what cannot cross to another machine with a TypeError naming where it was found', () => {
    const cyclic: { name: string; self?: unknown } = { name: 'loop' };
    cyclic.self = { back: cyclic };
    const refused: [unknown, RegExp][] = [
      [{ callback: () => 1 }, /^The value at `callback` is a function, which cannot be sent$/],
      [{ list: [1, Symbol('s')] }, /^The value at `list\[1\]` is a symbol/],
      [cyclic, /^The value at `self\.back` refers back to an object that contains it \(a cycle\)/],
      [{ cache: new WeakMap() }, /^The value at `cache` is a WeakMap, which cannot be sent to another machine$/],
      [Promise.resolve(1), /^The value is a Promise/],
      [new Map([['k', () => 1]]), /^The value at `<value 0>` is a function/],
    ];
    for (const [value, message] of refused) assert.throws(() => encodeValue(value), (error: Error) => error instanceof TypeError && message.test(error.message));
  });

  it('refuses a malformed or unknown tag with a TypeError', () => {
    assert.throws(() => decodeValue({ $spindle: 'Uint8Array' }), { name: 'TypeError', message: 'The value is a malformed `$spindle: Uint8Array` value' });
    assert.throws(() => decodeValue({ list: [{ $spindle: 'Teapot' }] }), { name: 'TypeError', message: 'The value at `list[0]` has an unknown `$spindle` tag `Teapot`' });
    assert.throws(() => decodeValue({ $spindle: 'Float64Array', base64: 'AAE=' }), { name: 'TypeError' });
  });
});
