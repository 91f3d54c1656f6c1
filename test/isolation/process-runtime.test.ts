import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { Pool, transfer } from 'spindle';
import { codeOf, faultTasksUrl, waitFor, type FaultTasks } from '../faults/fault-helpers.js';
import { FileRunCounter, isAlive } from './process-helpers.js';

type Tasks = typeof import('../fixtures/tasks.js');
const tasksUrl = new URL('../fixtures/tasks.js', import.meta.url);

describe("runtime: 'process', the same API", () => {
  it('runs typed tasks in child processes of their own, with progress, map and stream', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 2, runtime: 'process' });
    await pool.ready;
    const pids = pool.stats().perWorker.map((worker) => worker.threadId);
    assert.equal(pids.length, 2);
    for (const pid of pids) assert.ok(pid !== process.pid && isAlive(pid), `worker ${String(pid)} is a live process of its own`);
    assert.equal(await pool.run('add', { a: 20, b: 22 }), 42);
    const progress: unknown[] = [];
    assert.equal(await pool.run('reportProgress', 3, { onProgress: (value) => progress.push(value) }), 3);
    assert.deepEqual(progress, [1, 2, 3]);
    const mapped: number[] = [];
    for await (const value of pool.map([1, 2, 3, 10], 'fib', { chunkSize: 2 })) mapped.push(value);
    assert.deepEqual(mapped, [1, 1, 2, 55]);
    const streamed: unknown[] = [];
    await pipeline(
      Readable.from([{ a: 1, b: 1 }, { a: 2, b: 2 }]),
      pool.stream('add'),
      new Writable({ objectMode: true, write: (chunk: unknown, _encoding, done) => { streamed.push(chunk); done(); } }),
    );
    assert.deepEqual(streamed, [2, 4]);
    const stats = pool.stats();
    assert.ok(stats.completed >= 5);
    await pool.close();
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000, 'the worker processes to exit after close()');
  });

  it('copies what transfer() would move, keeps errors intact, and passes env and workerData', async () => {
    process.env.SPINDLE_PROCESS_VISIBLE = 'yes';
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 1, runtime: 'process', env: ['SPINDLE_PROCESS_VISIBLE'] });
    const buffer = new ArrayBuffer(1024);
    assert.equal(await pool.run('byteLength', transfer(buffer)), 1024);
    assert.equal(buffer.byteLength, 1024, 'a process worker gets a copy: nothing is detached here');
    await assert.rejects(pool.run('fail', 'type'), (error: Error) => error instanceof TypeError && error.message === 'wrong type');
    assert.deepEqual(await pool.run('readEnv', ['SPINDLE_PROCESS_VISIBLE', 'HOME']), ['yes', null]);
  });

  it('refuses a SharedArrayBuffer or a MessagePort argument with ERR_ARGUMENT_NOT_CLONEABLE, naming the runtime, and keeps the worker', async () => {
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 1, runtime: 'process' });
    await assert.rejects(pool.run('sharedIncrement', new SharedArrayBuffer(4)), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_ARGUMENT_NOT_CLONEABLE');
      assert.match(error.message, /SharedArrayBuffer cannot cross to a process worker \(runtime: 'process'\)/);
      return true;
    });
    const { port1 } = new MessageChannel();
    await assert.rejects(pool.run('greetThroughPort', port1), { code: 'ERR_ARGUMENT_NOT_CLONEABLE', message: /MessagePort cannot cross/ });
    port1.close();
    assert.equal(await pool.run('add', { a: 1, b: 1 }), 2);
    assert.equal(pool.stats().workerCrashes, 0);
  });

  it('rejects a result holding a SharedArrayBuffer or a MessagePort with ERR_RESULT_NOT_CLONEABLE, naming the runtime, and keeps the worker', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process' });
    for (const [kind, named] of [['shared', /SharedArrayBuffer cannot cross from a process worker \(runtime: 'process'\)/], ['port', /MessagePort cannot cross from a process worker/]] as const) {
      await assert.rejects(pool.run('returnUncrossable', kind), (error: Error & { code?: string; cause?: Error }) => {
        assert.equal(error.code, 'ERR_RESULT_NOT_CLONEABLE');
        // In the message itself, as for an argument: a caller who logs only the message sees why.
        assert.match(error.message, named);
        return true;
      });
    }
    assert.equal(await pool.run('succeed', 3), 3);
    assert.equal(pool.stats().workerCrashes, 0);
  });
});

describe("runtime: 'process', the same guarantees", () => {
  it('fails only the task whose worker exits or throws from a timer, runs its neighbours once, and is back at size', async () => {
    const counter = new FileRunCounter();
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, runtime: 'process' });
    try {
      await pool.ready;
      const neighbours = Array.from({ length: 40 }, (_, index) => pool.run('countRunInFile', { file: counter.file, index }));
      const exit = pool.run('exitProcess', 3).catch((error: unknown) => error as Error & { code?: string; exitCode?: number });
      const unhandled = pool.run('rejectUnhandled').catch((error: unknown) => codeOf(error));
      assert.deepEqual((await Promise.all(neighbours)).length, 40);
      const exited = await exit;
      assert.equal(exited.code, 'ERR_WORKER_EXITED');
      assert.equal(exited.exitCode, 3);
      assert.equal(await unhandled, 'ERR_WORKER_EXITED');
      assert.deepEqual([...new Set(counter.counts(40))], [1], 'every neighbour ran exactly once');
      await waitFor(() => pool.stats().workers.idle === 2, 10_000, 'two ready workers again');
    } finally {
      await pool.destroy();
      counter.dispose();
    }
  });

  it('fails no task when its process dies between tasks (a stray timer): the tasks it held run once, elsewhere or on its replacement', async () => {
    const counter = new FileRunCounter();
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process' });
    const errors: string[] = [];
    pool.on('workerError', ({ error }) => errors.push(error.message));
    try {
      await pool.ready;
      // Synchronous tasks leave the timer only the gaps between them: it fires while the process holds tasks it has not started.
      const stray = pool.run('throwAfterReturning', 2);
      const held = Array.from({ length: 30 }, (_, index) => pool.run('spinThenCountInFile', { file: counter.file, index, spinMs: 1 }));
      assert.equal(await stray, 'returned');
      assert.deepEqual(await Promise.all(held), Array.from({ length: 30 }, (_, index) => index));
      assert.deepEqual([...new Set(counter.counts(30))], [1], 'every held task ran exactly once');
      assert.equal(pool.stats().workerCrashes, 1);
      assert.deepEqual(errors, ['thrown by a timer after the task returned']);
    } finally {
      await pool.destroy();
      counter.dispose();
    }
  });

  it('fails a task that runs out of memory under resourceLimits with ERR_WORKER_OUT_OF_MEMORY', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process', resourceLimits: { maxOldGenerationSizeMb: 32 } });
    await assert.rejects(pool.run('allocateForever'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
    assert.equal(await pool.run('succeed', 7), 7);
  });

  it('times out a task that never yields, ends its process after abortGrace, and retries it within budget', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process', abortGrace: 100 });
    const exits: string[] = [];
    pool.on('workerExit', (info) => exits.push(info.reason));
    const started = performance.now();
    await assert.rejects(pool.run('spinForever', undefined, { timeout: 300, retries: 1 }), { code: 'ERR_TASK_TIMEOUT' });
    assert.ok(performance.now() - started < 5_000);
    assert.equal(pool.stats().retried, 1);
    await waitFor(() => exits.length === 2, 5_000, 'both stuck processes to be ended');
    assert.deepEqual(exits, ['timeout', 'timeout']);
    assert.equal(await pool.run('succeed', 1), 1);
  });

  it('cancels an asynchronous task through its signal and keeps the process', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process' });
    const before = await pool.run('processId');
    const controller = new AbortController();
    const run = pool.run('sleepUntilAborted', 5_000, { signal: controller.signal });
    setTimeout(() => { controller.abort(new Error('enough')); }, 100);
    await assert.rejects(run, { code: 'ERR_TASK_ABORTED' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await pool.run('processId'), before, 'the task stopped by itself: same process');
  });

  it("times a task waiting behind a slow call in a process worker out with ERR_QUEUE_TIMEOUT, and it never runs", async () => {
    const counter = new FileRunCounter();
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process' });
    try {
      for (let round = 0; round < 30; round++) await Promise.all([pool.run('holdFor', 0), pool.run('countRunInFile', { file: counter.file, index: 99 })]);
      const slow = pool.run('holdFor', 1_000);
      const waiting = Array.from({ length: 5 }, (_, index) => pool.run('countRunInFile', { file: counter.file, index }, { queueTimeout: 200 }).catch((error: unknown) => codeOf(error)));
      assert.deepEqual(await Promise.all(waiting), Array.from({ length: 5 }, () => 'ERR_QUEUE_TIMEOUT'));
      assert.equal(await slow, 'held');
      assert.deepEqual(counter.counts(5), [0, 0, 0, 0, 0], 'none of them ran');
    } finally {
      counter.dispose();
    }
  });

  it('keeps answering after it skipped tasks taken back from behind a slow call: later tasks sent to it run too', { timeout: 30_000 }, async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, runtime: 'process' });
    for (let round = 0; round < 30; round++) await Promise.all([pool.run('holdFor', 0), pool.run('succeed', round)]);
    // Quick calls batched behind one that overruns its estimate are taken back (REVOKE) and run on the other process.
    const slow = pool.run('holdFor', 600);
    const behind = await Promise.all(Array.from({ length: 20 }, (_, index) => pool.run('succeed', index)));
    assert.deepEqual(behind, Array.from({ length: 20 }, (_, index) => index));
    assert.equal(await slow, 'held');
    assert.ok(pool.stats().takenBack > 0, 'some tasks were taken back from behind the slow call');
    // Then both processes get tasks again, the one that skipped included.
    for (let round = 0; round < 5; round++) {
      assert.deepEqual(await Promise.all(Array.from({ length: 20 }, (_, index) => pool.run('succeed', index))), Array.from({ length: 20 }, (_, index) => index));
    }
  });

  it('recycles a process after maxTasksPerWorker tasks without failing any', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process', maxTasksPerWorker: 5 });
    const pids = new Set<number>();
    for (let index = 0; index < 12; index++) pids.add(await pool.run('processId'));
    assert.equal(pids.size, 3);
    assert.equal(pool.stats().failed, 0);
  });
});
