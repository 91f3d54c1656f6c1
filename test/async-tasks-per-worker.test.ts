import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool, type PoolOptions } from 'spindle';
import { fixture, outcome } from './helpers.js';

type Tasks = typeof import('./fixtures/async-tasks.js');

/** A board for `count` tasks: [0] running now, [1] most at once, [2 + id] runs of task id. */
function board(count: number): { readonly board: SharedArrayBuffer; readonly view: Int32Array } {
  const memory = new SharedArrayBuffer(4 * (2 + count));
  return { board: memory, view: new Int32Array(memory) };
}

/** The code of a failed outcome, or 'ok'. */
function codeOf(settled: Awaited<ReturnType<typeof outcome>> | undefined): string | undefined {
  if (settled === undefined) return undefined;
  return settled.ok ? 'ok' : settled.error.code;
}

async function withPool(options: PoolOptions, use: (pool: Pool<Tasks>) => Promise<void>): Promise<void> {
  const pool = new Pool<Tasks>(fixture('async-tasks'), options);
  try {
    await pool.ready;
    await use(pool);
  } finally {
    await pool.destroy();
  }
}

describe('asyncTasksPerWorker', () => {
  it('runs up to that many asynchronous tasks at once on one worker, and never more', { timeout: 20_000 }, async () => {
    await withPool({ threads: 1, asyncTasksPerWorker: 4 }, async (pool) => {
      const { board: memory, view } = board(12);
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: 12 }, (_, id) => pool.run('wait', { board: memory, id, ms: 300 })));
      const elapsedMs = performance.now() - started;
      assert.deepEqual(results, Array.from({ length: 12 }, (_, id) => id));
      assert.equal(view[1], 4, 'the most tasks running at once in the one worker');
      // One at a time would take 12 × 300 ms; four at a time, three rounds of 300 ms.
      assert.ok(elapsedMs < 2_500, `12 tasks of 300 ms, four at a time, took ${elapsedMs.toFixed(0)} ms`);
      assert.deepEqual([...view.subarray(2)], Array<number>(12).fill(1), 'each task ran once');
    });
  });

  it('runs one task at a time per worker by default, even when the tasks await', { timeout: 20_000 }, async () => {
    await withPool({ threads: 1 }, async (pool) => {
      const { board: memory, view } = board(4);
      await Promise.all(Array.from({ length: 4 }, (_, id) => pool.run('wait', { board: memory, id, ms: 50 })));
      assert.equal(view[1], 1);
    });
  });

  it('answers each task when it finishes, not in the order the tasks were sent', { timeout: 20_000 }, async () => {
    await withPool({ threads: 1, asyncTasksPerWorker: 2 }, async (pool) => {
      const { board: memory } = board(2);
      const order: number[] = [];
      const slow = pool.run('wait', { board: memory, id: 0, ms: 800 }).then((id) => order.push(id));
      const quick = pool.run('wait', { board: memory, id: 1, ms: 20 }).then((id) => order.push(id));
      await Promise.all([slow, quick]);
      assert.deepEqual(order, [1, 0]);
    });
  });

  it('keeps timing a long task right while hundreds of short ones pass it on the same worker', { timeout: 30_000 }, async () => {
    // A generous abortGrace: on a loaded machine the timed-out task may take longer than the default 100 ms to see its
    // abort, and the pool would end the worker with the task still counted as running on the board (a high-water mark of 3).
    await withPool({ threads: 1, asyncTasksPerWorker: 2, abortGrace: 10_000 }, async (pool) => {
      const count = 600;
      const { board: memory, view } = board(count + 1);
      const started = performance.now();
      const long = outcome(pool.run('wait', { board: memory, id: count, ms: 10_000 }, { timeout: 1_000 }));
      const short = await Promise.all(Array.from({ length: count }, (_, id) => pool.run('wait', { board: memory, id, ms: 1 })));
      assert.deepEqual(short, Array.from({ length: count }, (_, id) => id));
      const longOutcome = await long;
      const elapsedMs = performance.now() - started;
      assert.equal(codeOf(longOutcome), 'ERR_TASK_TIMEOUT');
      assert.ok(elapsedMs < 5_000, `the long task's 1 s timeout fired after ${elapsedMs.toFixed(0)} ms`);
      assert.equal(view[1], 2);
      assert.deepEqual([...view.subarray(2)], Array<number>(count + 1).fill(1), 'each task ran once');
      assert.equal(pool.stats().running, 0);
    });
  });

  it('fails the tasks a dying worker had started, runs the ones it had not started elsewhere, and runs none twice', { timeout: 30_000 }, async () => {
    await withPool({ threads: 1, asyncTasksPerWorker: 4 }, async (pool) => {
      const { board: memory, view } = board(4);
      // Task 0 awaits on the worker; task 1 holds the thread, then ends the worker, while tasks 2 and 3 wait behind it unstarted.
      const awaiting = outcome(pool.run('wait', { board: memory, id: 0, ms: 10_000 }));
      while (Atomics.load(view, 2) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const blocking = outcome(pool.run('blockThenExit', { board: memory, id: 1, ms: 300 }));
      const behind = [2, 3].map((id) => outcome(pool.run('wait', { board: memory, id, ms: 10 })));
      const [first, second, third, fourth] = await Promise.all([awaiting, blocking, ...behind]);
      assert.equal(codeOf(first), 'ERR_WORKER_EXITED', 'the awaiting task had started: it fails');
      assert.equal(codeOf(second), 'ERR_WORKER_EXITED', 'the task that ended the worker fails');
      assert.deepEqual([third, fourth], [{ ok: true, value: 2 }, { ok: true, value: 3 }], 'the unstarted ones ran on the replacement');
      assert.deepEqual([...view.subarray(2)], [1, 1, 1, 1], 'each task ran once');
    });
  });

  it('times out and aborts one task by its own start, leaving the others on its worker running', { timeout: 20_000 }, async () => {
    // A generous abortGrace, as above: this test is about tasks that stop by themselves, however slowly a loaded machine lets them.
    await withPool({ threads: 1, asyncTasksPerWorker: 3, abortGrace: 10_000 }, async (pool) => {
      const { board: memory, view } = board(3);
      const controller = new AbortController();
      const timedOut = outcome(pool.run('wait', { board: memory, id: 0, ms: 5_000 }, { timeout: 200 }));
      const aborted = outcome(pool.run('wait', { board: memory, id: 1, ms: 5_000 }, { signal: controller.signal }));
      const finishing = pool.run('wait', { board: memory, id: 2, ms: 900 });
      setTimeout(() => {
        controller.abort();
      }, 300);
      const [timeout, abort] = await Promise.all([timedOut, aborted]);
      assert.equal(codeOf(timeout), 'ERR_TASK_TIMEOUT');
      assert.equal(codeOf(abort), 'ERR_TASK_ABORTED');
      assert.equal(await finishing, 2);
      assert.equal(pool.stats().workersStarted, 1, 'both stopped by themselves: the worker was never ended');
      assert.deepEqual([...view.subarray(2)], [1, 1, 1]);
    });
  });

  it('ends the worker when an aborted task ignores the abort past abortGrace: the other tasks it ran fail with ERR_WORKER_EXITED', { timeout: 20_000 }, async () => {
    await withPool({ threads: 1, asyncTasksPerWorker: 2, abortGrace: 100 }, async (pool) => {
      const { board: memory } = board(2);
      const stubborn = outcome(pool.run('waitStubbornly', { board: memory, id: 0, ms: 5_000 }, { timeout: 200 }));
      const neighbour = outcome(pool.run('wait', { board: memory, id: 1, ms: 5_000 }));
      const [first, second] = await Promise.all([stubborn, neighbour]);
      assert.equal(codeOf(first), 'ERR_TASK_TIMEOUT');
      assert.equal(codeOf(second), 'ERR_WORKER_EXITED');
    });
  });

  it('counts a worker with room for another task as free: maxQueue: 0 admits as many tasks as the workers run at once, and rejects the next', { timeout: 20_000 }, async () => {
    await withPool({ threads: 1, asyncTasksPerWorker: 3, maxQueue: 0 }, async (pool) => {
      const { board: memory, view } = board(4);
      const admitted = [0, 1, 2].map((id) => pool.run('wait', { board: memory, id, ms: 300 }));
      await assert.rejects(pool.run('wait', { board: memory, id: 3, ms: 300 }), { code: 'ERR_QUEUE_FULL' });
      assert.deepEqual(await Promise.all(admitted), [0, 1, 2]);
      assert.equal(view[1], 3, 'the three ran at once');
    });
  });

  it("rejects asyncTasksPerWorker outside 1 to 1024, or above 1 with runtime: 'process', with ERR_INVALID_OPTION", () => {
    for (const asyncTasksPerWorker of [0, 1.5, 1025, Number.NaN]) {
      assert.throws(() => new Pool(fixture('async-tasks'), { asyncTasksPerWorker }), { code: 'ERR_INVALID_OPTION' });
    }
    assert.throws(() => new Pool(fixture('async-tasks'), { asyncTasksPerWorker: 2, runtime: 'process' }), { code: 'ERR_INVALID_OPTION', message: /runtime: 'thread'/ });
  });
});
