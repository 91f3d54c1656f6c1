import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { fromWire, INLINE_V8_BYTES, toWire } from '../../src/protocol/process-wire.js';

/** What the other side of a 'json' IPC channel receives: Node sends JSON.stringify(wire) and parses it back. */
function acrossChannel(message: readonly unknown[], beforeClone: (message: readonly unknown[]) => void = () => undefined): readonly unknown[] {
  const wire = toWire(message, beforeClone);
  // A long V8 serialization goes as bytes on the side pipe (see process-link.test.ts).
  return fromWire(Buffer.isBuffer(wire) ? wire : (JSON.parse(JSON.stringify(wire)) as unknown));
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('the process wire format', () => {
  it('sends a message JSON keeps exactly as itself, without cloning it', () => {
    const message = [12, 1, 0, { name: 'a', list: [1, 2.5, 'x', null, true], nested: { deep: [[{}]] } }, 3.25];
    let clones = 0;
    assert.equal(toWire(message, () => clones++), message);
    assert.deepEqual(acrossChannel(message), message);
    assert.equal(clones, 0);
  });

  it('keeps undefined apart from null at the top level without cloning', () => {
    let clones = 0;
    const message = [12, 1, 0, undefined, 5, 2, 0, null, 7];
    const received = acrossChannel(message, () => clones++);
    assert.equal(received.length, message.length);
    assert.ok(3 in received && received[3] === undefined);
    assert.equal(received[7], null);
    assert.deepEqual(received, message);
    assert.equal(clones, 0);
  });

  it("carries every structured-clone type across, each value as V8's serializer (the 'advanced' channel) gives it", () => {
    const sparse: unknown[] = [1];
    sparse[3] = 4;
    const matched = /(?<word>b+)/.exec('abbc');
    const error = Object.assign(new RangeError('out of range', { cause: new Error('inner') }), { code: 'E_RANGE' });
    const zoo: unknown[] = [
      new Map<unknown, unknown>([[1, 'one'], ['two', { 2: true }]]),
      new Set([1, 'a', null]),
      new Date(1_700_000_000_000),
      /x+/giu,
      new Uint8Array([1, 2, 255]),
      new Float64Array([0.5, -0, Number.NaN]),
      Buffer.from('buffer'),
      new ArrayBuffer(3),
      new DataView(new ArrayBuffer(4), 1, 2),
      123n ** 5n,
      error,
      Number.NaN,
      -0,
      Number.POSITIVE_INFINITY,
      { inner: undefined },
      [undefined],
      sparse,
      matched,
      Object.assign(Object.create(null) as object, { bare: 1 }),
      new Point(1, 2),
      new String('boxed'),
      'lone \uD800 surrogate and \n newline',
      { ['__proto__']: 1, 2: 'b', a: 'a' },
      Array.from({ length: 5_000 }, (_, index) => index),
    ];
    for (const [index, value] of zoo.entries()) {
      const received = acrossChannel([12, 1, 0, value, 1]);
      assert.deepStrictEqual(received[3], deserialize(serialize(value)), `zoo[${String(index)}], ${Object.prototype.toString.call(value)}, arrives as V8 gives it`);
    }
  });

  it('sends a short V8 serialization inline in base64, and a long one (a long string too) as bytes for the side pipe', () => {
    assert.equal(typeof toWire([1, new Map([[1, 'x'.repeat(100)]])], () => undefined), 'string');
    const long = toWire([1, new Uint8Array(INLINE_V8_BYTES + 1)], () => undefined);
    assert.ok(Buffer.isBuffer(long) && long.length > INLINE_V8_BYTES);
    assert.deepStrictEqual(fromWire(long), [1, new Uint8Array(INLINE_V8_BYTES + 1)]);
    const text = 'x'.repeat(1024 * 1024);
    const longText = toWire([1, text], () => undefined);
    assert.ok(Buffer.isBuffer(longText), 'a long string goes as V8 bytes, not through JSON');
    assert.deepStrictEqual(fromWire(longText), [1, text]);
  });

  it('keeps shared and circular references, and values nested deeper than JSON is trusted with', () => {
    const shared = { count: 1 };
    const [, first, second] = acrossChannel([1, shared, shared]) as [number, object, object];
    assert.equal(first, second);
    const circular: { self?: unknown } = {};
    circular.self = circular;
    const [, back] = acrossChannel([1, circular]) as [number, { self: unknown }];
    assert.equal(back.self, back);
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100; level++) deep = { level: deep };
    assert.deepStrictEqual(acrossChannel([1, deep]), [1, deep]);
  });

  it("asks before it clones, so that the caller may refuse, and throws V8's own error for what cannot be cloned", () => {
    const refused = new Error('refused');
    assert.throws(() => toWire([1, new Map()], () => { throw refused; }), refused);
    assert.throws(() => toWire([1, () => 1], () => undefined), /could not be cloned/);
    assert.throws(() => toWire([1, { toJSON: () => 'text' }], () => undefined), /could not be cloned/);
  });
});
