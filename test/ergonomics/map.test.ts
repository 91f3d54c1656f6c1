import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Pool, transfer } from 'spindle';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const tasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);

async function collect<T>(results: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const result of results) collected.push(result);
  return collected;
}

/** Numbers 0 … count-1 from a generator that records how far reading ran ahead of consuming. */
function countedInput(count: number): { input: Generator<number>; consumed: () => void; readonly maxAhead: number; readonly pulled: number; readonly closed: boolean } {
  const state = { pulled: 0, consumedCount: 0, maxAhead: 0, closed: false };
  function* generate(): Generator<number> {
    try {
      for (let index = 0; index < count; index++) {
        state.pulled++;
        state.maxAhead = Math.max(state.maxAhead, state.pulled - state.consumedCount);
        yield index;
      }
    } finally {
      state.closed = true;
    }
  }
  return {
    input: generate(),
    consumed: () => {
      state.consumedCount++;
    },
    get maxAhead() {
      return state.maxAhead;
    },
    get pulled() {
      return state.pulled;
    },
    get closed() {
      return state.closed;
    },
  };
}

describe('pool.map()', () => {
  it('maps 100,000 items with concurrency 8, yields every result in order, and never reads more than 8 items ahead', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const counted = countedInput(100_000);
    let expected = 0;
    for await (const result of pool.map(counted.input, 'double', { concurrency: 8 })) {
      counted.consumed();
      assert.equal(result, expected * 2);
      expected++;
    }
    assert.equal(expected, 100_000);
    assert.ok(counted.maxAhead <= 8, `read ${String(counted.maxAhead)} items ahead`);
  });

  it('sends items in chunks of chunkSize, one task call per chunk, holding at most concurrency × chunkSize items', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    await pool.ready;
    const counted = countedInput(100_000);
    let sum = 0;
    let count = 0;
    for await (const result of pool.map(counted.input, 'double', { concurrency: 8, chunkSize: 250 })) {
      counted.consumed();
      sum += result;
      count++;
    }
    assert.equal(count, 100_000);
    assert.equal(sum, 99_999 * 100_000);
    assert.ok(counted.maxAhead <= 8 * 250, `read ${String(counted.maxAhead)} items ahead`);
    assert.equal(pool.stats().completed, 100_000 / 250);
  });

  it('runs a chunk of an asynchronous task item by item and keeps the input order', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const results = await collect(pool.map([1, 2, 3, 4, 5, 6, 7], 'doubleLater', { chunkSize: 3 }));
    assert.deepEqual(results, [2, 4, 6, 8, 10, 12, 14]);
  });

  it('reads an async iterable input', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    async function* numbers(): AsyncGenerator<number> {
      for (let value = 0; value < 50; value++) {
        if (value % 10 === 0) await delay(1);
        yield value;
      }
    }
    const results = await collect(pool.map(numbers(), 'double', { concurrency: 4, chunkSize: 3 }));
    assert.deepEqual(
      results,
      Array.from({ length: 50 }, (_, value) => value * 2),
    );
  });

  it('yields nothing for an empty input', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    assert.deepEqual(await collect(pool.map([], 'double')), []);
  });

  it('yields results as they finish when ordered is false', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 3 });
    await pool.ready;
    assert.deepEqual(await collect(pool.map([0, 1, 2], 'doubleAfter', { concurrency: 3, ordered: false })), [4, 2, 0]);
    assert.deepEqual(await collect(pool.map([0, 1, 2], 'doubleAfter', { concurrency: 3 })), [0, 2, 4]);
  });

  it('yields the results before a failing item, then throws its error and closes the input', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const counted = countedInput(1_000);
    const seen: number[] = [];
    await assert.rejects(
      async () => {
        for await (const result of pool.map(counted.input, 'failOnThirteen', { concurrency: 4, chunkSize: 2 })) seen.push(result);
      },
      (error: Error) => error.name === 'RangeError' && error.message === 'thirteen is unlucky',
    );
    assert.deepEqual(
      seen,
      Array.from({ length: 12 }, (_, index) => index),
    );
    assert.ok(counted.closed);
    assert.ok(counted.pulled < 30, `read ${String(counted.pulled)} items`);
    await pool.onIdle();
  });

  it('stops reading the input and cancels the calls in flight when the consumer breaks out of the loop', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const counted = countedInput(1_000_000);
    let taken = 0;
    for await (const result of pool.map(counted.input, 'doubleLater', { concurrency: 6 })) {
      assert.equal(result, taken * 2);
      if (++taken === 10) break;
    }
    assert.ok(counted.closed);
    assert.ok(counted.pulled <= 16, `read ${String(counted.pulled)} items`);
    await pool.onIdle();
    assert.equal(pool.stats().workerCrashes, 0);
  });

  it('throws ERR_TASK_ABORTED when its signal aborts, and at once for a signal aborted before it starts', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const controller = new AbortController();
    let taken = 0;
    await assert.rejects(
      async () => {
        for await (const result of pool.map(countedInput(1_000_000).input, 'doubleLater', { signal: controller.signal })) {
          assert.equal(result, taken * 2);
          if (++taken === 100) controller.abort(new Error('enough'));
        }
      },
      (error: Error & { code?: string; cause?: unknown }) => error.code === 'ERR_TASK_ABORTED' && (error.cause as Error).message === 'enough',
    );
    assert.equal(taken, 100);
    await assert.rejects(collect(pool.map([1, 2, 3], 'double', { signal: AbortSignal.abort() })), { code: 'ERR_TASK_ABORTED' });
    await pool.onIdle();
  });

  it('aborts while waiting on an async input that never yields', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const never: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<number>>(() => undefined) }),
    };
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    await assert.rejects(collect(pool.map(never, 'double', { signal: controller.signal })), { code: 'ERR_TASK_ABORTED' });
  });

  it('moves the buffers of items wrapped in transfer(), and of results, chunk by chunk', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    const buffers = Array.from({ length: 6 }, () => new Uint8Array(1_000).fill(1));
    const sums = await collect(pool.map(buffers.map((bytes) => transfer(bytes)), 'byteSum', { chunkSize: 4 }));
    assert.deepEqual(sums, [1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
    assert.ok(buffers.every((bytes) => bytes.byteLength === 0), 'the buffers were moved, not copied');
    const filled = await collect(pool.map([3, 4, 5], 'fill', { chunkSize: 2 }));
    assert.deepEqual(
      filled.map((bytes) => [...bytes]),
      [
        [7, 7, 7],
        [7, 7, 7, 7],
        [7, 7, 7, 7, 7],
      ],
    );
  });

  it('reports a task the module does not export as ERR_UNKNOWN_TASK under its own name, chunked or not', async () => {
    const pool = new Pool(tasks, { threads: 1 });
    await pool.ready;
    for (const chunkSize of [1, 5]) {
      await assert.rejects(collect(pool.map([1, 2], 'missing', { chunkSize })), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_UNKNOWN_TASK');
        assert.match(error.message, /no task named `missing`/);
        return true;
      });
    }
    await pool.close();
  });

  it('rejects invalid arguments synchronously with ERR_INVALID_ARGUMENT', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    assert.throws(() => pool.map([1], 'double', { concurrency: 0 }), /Expected `concurrency` to be an integer >= 1, got `0` \(number\)/);
    assert.throws(() => pool.map([1], 'double', { chunkSize: 1.5 }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => pool.map([1], 'double', { ordered: 'yes' as unknown as boolean }), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => pool.map([1], 'double', { timeout: -1 }), /Expected `timeout`/);
    assert.throws(() => pool.map(42 as unknown as number[], 'double'), /Expected `items` to be an iterable or an async iterable/);
  });

  it('types its results as the task’s result type', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    for await (const result of pool.map([1, 2], 'double')) {
      const doubled: number = result;
      assert.equal(typeof doubled, 'number');
    }
    // @ts-expect-error: `double` takes numbers, not strings
    assert.throws(() => pool.map(['one'], 'double', { concurrency: 0 }));
  });
});
