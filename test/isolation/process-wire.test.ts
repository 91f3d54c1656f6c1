import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { Pool, WorkerExitedError } from 'spindle';

type Tasks = typeof import('../fixtures/process-wire-tasks.js');
const tasksUrl = new URL('../fixtures/process-wire-tasks.js', import.meta.url);

/** Larger than a pipe's buffer (64 KiB on Linux) many times over: the message crosses in many reads. */
const LARGE = 4 * 1024 * 1024;

describe("runtime: 'process', what crosses the IPC channel", () => {
  it('carries structured-clone types to a process worker and back, each as structured clone gives it', { timeout: 30_000 }, async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 1, runtime: 'process' });
    const shared = { count: 1 };
    const circular: { self?: unknown } = {};
    circular.self = circular;
    const zoo: unknown[] = [
      undefined,
      null,
      Number.NaN,
      -0,
      Number.NEGATIVE_INFINITY,
      2n ** 70n,
      new Map<unknown, unknown>([[1, { a: [1] }], ['k', new Set([2])]]),
      new Date(0),
      /a.b/su,
      new Uint8Array([0, 1, 255]),
      new BigInt64Array([-1n]),
      new ArrayBuffer(16),
      new RangeError('range', { cause: 'why' }),
      { present: undefined, list: [undefined, null] },
      [shared, shared],
      circular,
      Object.assign(Object.create(null) as object, { bare: true }),
      'lone \uDC00 surrogate, \u2028 and a \n newline',
      { plain: [1, 'two', { three: 3.5 }], flag: false },
    ];
    for (const [index, value] of zoo.entries()) {
      const back = await pool.run('echo', value);
      assert.deepStrictEqual(back, deserialize(serialize(value)), `zoo[${String(index)}] (${Object.prototype.toString.call(value)}) comes back as structured clone gives it`);
    }
    const [first, second] = (await pool.run('echo', [shared, shared])) as [object, object];
    assert.equal(first, second, 'a shared reference stays shared');
    const looped = (await pool.run('echo', circular)) as { self: unknown };
    assert.equal(looped.self, looped, 'a circular reference stays circular');
    assert.equal(pool.stats().workerCrashes, 0);
  });

  it('carries messages far larger than a pipe buffer both ways, as JSON and as V8 bytes', { timeout: 30_000 }, async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 1, runtime: 'process' });
    const text = 'é€\uD83D\uDE00 x'.repeat(LARGE / 8);
    assert.equal(await pool.run('echo', text), text);
    const bytes = new Uint8Array(LARGE).map((_, index) => index % 251);
    assert.deepStrictEqual(await pool.run('echo', bytes), bytes);
    const records = Array.from({ length: 4_000 }, (_, index) => ({ index, name: `record ${String(index)}`.padEnd(1_000, '.') }));
    assert.deepStrictEqual(await pool.run('echo', records), records);
  });

  it('answers thousands of tasks submitted in one tick, each with its own argument, mixing both forms', { timeout: 60_000 }, async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 2, runtime: 'process' });
    await pool.ready;
    const argumentOf = (index: number): unknown => (index % 3 === 0 ? new Map([[index, new Date(index)]]) : index % 3 === 1 ? { index } : undefined);
    const results = await Promise.all(Array.from({ length: 3_000 }, (_, index) => pool.run('echo', argumentOf(index))));
    for (const [index, result] of results.entries()) assert.deepStrictEqual(result, argumentOf(index), `task ${String(index)}`);
    assert.equal(pool.stats().workerCrashes, 0);
  });

  it('fails only the task whose process is killed halfway through sending a message, and serves on', { timeout: 30_000 }, async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 1, runtime: 'process' });
    await pool.ready;
    const progress: unknown[] = [];
    const failure = await pool.run('dieWhileSending', 32 * 1024 * 1024, { onProgress: (value) => progress.push(value) }).catch((error: unknown) => error);
    assert.ok(failure instanceof WorkerExitedError, `a WorkerExitedError, not ${String(failure)}`);
    assert.equal(failure.signal, 'SIGKILL');
    assert.deepEqual(progress, [], 'no part of the cut message was delivered');
    assert.equal(await pool.run('echo', 'still here'), 'still here');
    assert.equal(pool.stats().workerCrashes, 1);
  });
});
