import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';

type Tasks = typeof import('../fixtures/setup-tasks.js');
const tasksUrl = new URL('../fixtures/setup-tasks.js', import.meta.url);

describe('workerData, and per-worker setup and teardown', () => {
  it('gives every worker the pool\'s workerData, from spindle/worker and node:worker_threads alike, before the module loads', async () => {
    const log = new SharedArrayBuffer(8);
    await using pool = new Pool<Tasks>(tasksUrl, { threads: 2, workerData: { greeting: 'Hello', log } });
    const answer = await pool.run('greet', 'Ada');
    assert.equal(answer.text, 'Hello, Ada');
    assert.equal(answer.same, true);
  });

  it('runs setup once per worker before its first task, and teardown once when the pool closes', async () => {
    const log = new SharedArrayBuffer(8);
    const pool = new Pool<Tasks>(tasksUrl, { threads: 2, workerData: { greeting: 'Hi', log } });
    await pool.ready;
    assert.equal(new Int32Array(log)[0], 2, 'both workers ran setup before ready');
    const answers = await Promise.all(Array.from({ length: 20 }, () => pool.run('greet', 'x')));
    assert.ok(answers.every((answer) => answer.model?.startsWith('model for ')), 'tasks see what setup prepared');
    assert.equal(new Int32Array(log)[1], 0);
    await pool.close();
    assert.deepEqual([...new Int32Array(log)], [2, 2], 'two setups, two teardowns');
  });

  it('runs teardown when a worker is retired, and setup again in its replacement', async () => {
    const log = new SharedArrayBuffer(8);
    const pool = new Pool<Tasks>(tasksUrl, { threads: 1, maxTasksPerWorker: 3, workerData: { greeting: 'Hi', log } });
    for (let index = 0; index < 7; index++) await pool.run('greet', 'x');
    await pool.close();
    const [setups, teardowns] = new Int32Array(log);
    assert.equal(setups, 3, 'three workers for seven tasks, three each');
    assert.equal(teardowns, 3);
  });

  it('counts a setup that throws as a load failure: ready rejects with ERR_WORKER_START_FAILED, its error as cause', async () => {
    const log = new SharedArrayBuffer(8);
    const pool = new Pool<Tasks>(tasksUrl, { threads: 1, workerData: { greeting: 'Hi', log, failSetup: true } });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: Error }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.equal(error.cause?.message, 'the model did not load');
      return true;
    });
    assert.equal(pool.stats().state, 'degraded');
    await pool.destroy();
  });

  it('reports a teardown that throws on workerError and still closes', async () => {
    const log = new SharedArrayBuffer(8);
    const pool = new Pool<Tasks>(tasksUrl, { threads: 1, workerData: { greeting: 'Hi', log, failTeardown: true } });
    const errors: string[] = [];
    pool.on('workerError', ({ error }) => errors.push(error.message));
    await pool.run('greet', 'x');
    await pool.close();
    assert.deepEqual(errors, ['the connection did not close']);
  });

  it('rejects a workerData that cannot be cloned with ERR_INVALID_OPTION, and setup and teardown are not tasks', () => {
    assert.throws(() => new Pool(tasksUrl, { workerData: { callback: () => undefined } }), { code: 'ERR_INVALID_OPTION', message: /workerData/ });
    const pool = new Pool<Tasks>(tasksUrl, { threads: 1, workerData: { greeting: 'Hi', log: new SharedArrayBuffer(8) } });
    // @ts-expect-error: setup runs once per worker; it is not a task
    void pool.run('setup', undefined).catch(() => undefined);
    void pool.destroy();
  });
});
