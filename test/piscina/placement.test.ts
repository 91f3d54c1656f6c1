import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Piscina, { type PiscinaWorker } from 'spindle/piscina';

const filename = fileURLToPath(new URL('../fixtures/piscina/placement-tasks.js', import.meta.url));
const LIMIT = { timeout: 30_000 };

type View = PiscinaWorker;

describe('spindle/piscina with a loadBalancer', () => {
  it('runs every task on the worker the balancer picks', LIMIT, async () => {
    let offered: readonly View[] = [];
    const pool = new Piscina({
      filename,
      minThreads: 2,
      maxThreads: 2,
      concurrentTasksPerWorker: 4,
      loadBalancer: (_task, workers) => {
        offered = workers;
        return workers.at(-1) ?? null;
      },
    });
    try {
      const threadIds = await Promise.all(Array.from({ length: 8 }, () => pool.run({ op: 'threadId' }) as Promise<number>));
      assert.equal(offered.length, 2);
      assert.deepEqual(new Set(threadIds), new Set([offered.at(-1)?.id]));
    } finally {
      await pool.destroy();
    }
  });

  it('keeps a task queued while the balancer returns null, and places it once a worker finishes a task', LIMIT, async () => {
    const calls: number[] = [];
    const pool = new Piscina({
      filename,
      maxThreads: 1,
      minThreads: 1,
      loadBalancer: (_task, workers) => {
        const worker = workers[0];
        calls.push(worker?.currentUsage ?? -1);
        return worker !== undefined && worker.currentUsage === 0 ? worker : null;
      },
    });
    try {
      const first = pool.run({ op: 'threadId', waitMs: 100 });
      const second = pool.run({ op: 'threadId' });
      assert.equal(pool.queueSize, 1, 'the second task waits in the pool');
      assert.equal(await first, await second, 'both ran on the one worker');
      assert.ok(calls.includes(1), 'the balancer saw the worker busy with the first task');
      assert.equal(calls.at(-1), 0, 'and placed the second once the first was done');
    } finally {
      await pool.destroy();
    }
  });

  it('shows each worker\'s usage, abortable task and run-time histogram (workerHistogram) to the balancer', LIMIT, async () => {
    const seen: { usage: number; abortable: boolean; histogram: boolean }[] = [];
    let first: View | undefined;
    const pool = new Piscina({
      filename,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 2,
      workerHistogram: true,
      loadBalancer: (_task, workers) => {
        const worker = workers[0] ?? null;
        first ??= worker ?? undefined;
        if (worker !== null) seen.push({ usage: worker.currentUsage, abortable: worker.isRunningAbortableTask, histogram: worker.histogram !== null });
        return worker;
      },
    });
    try {
      await pool.run({ op: 'threadId' });
      const controller = new AbortController();
      const abortable = pool.run({ op: 'threadId', waitMs: 200 }, { signal: controller.signal });
      await pool.run({ op: 'threadId' });
      await abortable;
      assert.deepEqual(seen[0], { usage: 0, abortable: false, histogram: true });
      assert.deepEqual(seen[2], { usage: Infinity, abortable: true, histogram: true }, 'the abortable task counts as a full worker');
      assert.ok((first?.histogram?.mean ?? 0) > 0, 'run times are recorded per worker');
    } finally {
      await pool.destroy();
    }
  });

  it('ends the worker a task was placed on when the task is aborted (piscina\'s rule), and keeps minThreads', LIMIT, async () => {
    let placedOn: View | undefined;
    const pool = new Piscina({
      filename,
      minThreads: 2,
      maxThreads: 2,
      loadBalancer: (_task, workers) => {
        placedOn = workers.find((worker) => worker.currentUsage === 0);
        return placedOn ?? null;
      },
    });
    const destroyed: unknown[] = [];
    pool.on('workerDestroy', (worker: unknown) => destroyed.push(worker));
    try {
      const controller = new AbortController();
      const spinning = pool.run({ op: 'spin' }, { signal: controller.signal });
      const worker = placedOn;
      assert.ok(worker !== undefined);
      controller.abort();
      await assert.rejects(spinning, { code: 'ERR_TASK_ABORTED' });
      for (let waited = 0; !worker.destroyed && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(worker.destroyed, true);
      assert.equal(worker.terminating, false);
      assert.equal(destroyed.length, 1);
      const threadId = (await pool.run({ op: 'threadId' })) as number;
      assert.notEqual(threadId, worker.id, 'the next task runs on another worker');
      assert.equal(pool.threads.length, 2, 'a new worker took the ended one\'s place');
    } finally {
      await pool.destroy();
    }
  });

  it('refuses a loadBalancer that is not a function, with piscina\'s message', () => {
    assert.throws(() => new Piscina({ filename, loadBalancer: 1 as never }), { name: 'TypeError', message: 'options.loadBalancer must be a function with at least two args' });
  });
});

describe('spindle/piscina worker events', () => {
  it('passes workerCreate and workerDestroy the worker\'s PiscinaWorker view, as piscina does', LIMIT, async () => {
    const created: View[] = [];
    const destroyed: View[] = [];
    const pool = new Piscina({ filename, minThreads: 2, maxThreads: 2 });
    pool.on('workerCreate', (worker: View) => created.push(worker));
    pool.on('workerDestroy', (worker: View) => destroyed.push(worker));
    const threadId = (await pool.run({ op: 'threadId' })) as number;
    assert.equal(created.length, 2);
    assert.ok(created.some((worker) => worker.id === threadId), 'the view of the worker that ran the task');
    assert.deepEqual(created.map((worker) => [typeof worker.currentUsage, worker.destroyed]), [['number', false], ['number', false]]);
    await pool.destroy();
    assert.deepEqual(new Set(destroyed), new Set(created), 'the same objects, ended');
    assert.ok(destroyed.every((worker) => worker.destroyed));
  });
});

describe('spindle/piscina when a worker dies', () => {
  it('rejects a task sent to a worker that exits before it starts the task, as piscina does, instead of running it elsewhere', LIMIT, async () => {
    const pool = new Piscina({ filename, minThreads: 1, maxThreads: 1 });
    try {
      assert.equal(await pool.run({ op: 'exitSoon', blockMs: 300 }), 42);
      // The worker now blocks in its setImmediate, then exits: this task reaches it and, but for a worker that polls for it
      // at once, never starts. Started, it would still be waiting when the worker exits: rejected either way, where
      // Spindle's own model would run it on the next worker.
      await assert.rejects(pool.run({ op: 'threadId', waitMs: 2000 }), /worker exited with code: 1/);
      assert.equal(typeof (await pool.run({ op: 'threadId' })), 'number', 'a new worker serves the next task');
    } finally {
      await pool.destroy();
    }
  });
});
