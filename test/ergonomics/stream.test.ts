import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const tasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);

/** An object-mode sink that collects what it receives, optionally slowly. */
function collector(slow = false): { sink: Writable; received: unknown[] } {
  const received: unknown[] = [];
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(chunk: unknown, _encoding, callback) {
      received.push(chunk);
      if (slow) setTimeout(callback, 1);
      else callback();
    },
  });
  return { sink, received };
}

describe('pool.stream()', () => {
  it('runs the task on each object of a pipeline and emits the results in input order', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const { sink, received } = collector();
    const values = Array.from({ length: 500 }, (_, index) => index);
    await pipeline(Readable.from(values), pool.stream('doubleLater', { concurrency: 6 }), sink);
    assert.deepEqual(
      received,
      values.map((value) => value * 2),
    );
  });

  it('holds back a fast source while a slow sink catches up', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    let pulled = 0;
    let maxAhead = 0;
    const { sink, received } = collector(true);
    function* source(): Generator<number> {
      for (let value = 0; value < 300; value++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - received.length);
        yield value;
      }
    }
    await pipeline(Readable.from(source(), { highWaterMark: 2 }), pool.stream('double', { concurrency: 4, highWaterMark: 4 }), sink);
    assert.equal(received.length, 300);
    // Source buffer 2 + writable side 4 + in the pool 4 + readable side 4 + the sink's 1, and a little slack.
    assert.ok(maxAhead <= 20, `the source ran ${String(maxAhead)} objects ahead of the sink`);
  });

  it('leaves out results that are null or undefined, so a task can filter', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const { sink, received } = collector();
    await pipeline(Readable.from([1, 2, 3, 4, 5, 6]), pool.stream('dropOdd'), sink);
    assert.deepEqual(received, [2, 4, 6]);
  });

  it('fails the pipeline with the first task error and cancels what is still in the pool', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const { sink, received } = collector();
    let closed = false;
    function* source(): Generator<number> {
      try {
        for (let value = 0; value < 10_000; value++) yield value;
      } finally {
        closed = true;
      }
    }
    await assert.rejects(pipeline(Readable.from(source()), pool.stream('failOnThirteen', { concurrency: 8 }), sink), {
      name: 'RangeError',
      message: 'thirteen is unlucky',
    });
    assert.deepEqual(
      received,
      Array.from({ length: 13 }, (_, index) => index),
    );
    assert.ok(closed);
    await pool.onIdle();
  });

  it('fails with ERR_TASK_ABORTED when its signal aborts', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const controller = new AbortController();
    const { sink, received } = collector();
    async function* endless(): AsyncGenerator<number> {
      for (let value = 0; ; value++) {
        if (value === 50) controller.abort(new Error('stop now'));
        await nextTurn();
        yield value;
      }
    }
    await assert.rejects(
      pipeline(endless(), pool.stream('doubleLater', { signal: controller.signal }), sink),
      (error: Error & { code?: string; cause?: unknown }) => error.code === 'ERR_TASK_ABORTED' && (error.cause as Error).message === 'stop now',
    );
    assert.ok(received.length < 50);
    await assert.rejects(pipeline(Readable.from([1]), pool.stream('double', { signal: AbortSignal.abort() }), collector().sink), { code: 'ERR_TASK_ABORTED' });
  });

  it('cancels its tasks still in the pool when it is destroyed', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    await pool.ready;
    const stream = pool.stream('spin', { concurrency: 5 });
    stream.on('error', () => undefined);
    for (let index = 0; index < 5; index++) stream.write(100);
    await nextTurn();
    stream.destroy();
    const started = Date.now();
    await pool.onIdle();
    assert.ok(Date.now() - started < 400, 'the queued tasks were dropped, not run');
    assert.ok(pool.stats().aborted >= 4);
  });

  it('rejects invalid options synchronously with ERR_INVALID_ARGUMENT', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    assert.throws(() => pool.stream('double', { concurrency: -1 }), /Expected `concurrency` to be an integer >= 1/);
    assert.throws(() => pool.stream('double', { highWaterMark: 0 }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => pool.stream('double', { signal: 'soon' as unknown as AbortSignal }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => pool.stream('' as 'double'), { code: 'ERR_INVALID_ARGUMENT' });
  });
});
