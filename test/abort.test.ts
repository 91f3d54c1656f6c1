import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { fixture, outcome } from './helpers.js';

type Tasks = typeof import('./fixtures/tasks.js');

describe('a signal shared by many tasks', () => {
  it('gets one abort listener from the pool, not one per task, and no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 2 });
      const controller = new AbortController();
      const tasks = Array.from({ length: 200 }, (_, index) => pool.run('add', { a: index, b: 0 }, { signal: controller.signal }));
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
      await Promise.all(tasks);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('aborts every pending task that shares it, and only those', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    await pool.ready;
    const controller = new AbortController();
    const blocker = pool.run('sleep', 100);
    const shared = Array.from({ length: 5 }, () => outcome(pool.run('add', { a: 1, b: 1 }, { signal: controller.signal })));
    const other = pool.run('add', { a: 2, b: 2 }, { signal: new AbortController().signal });
    controller.abort(new Error('stop these'));
    for (const result of await Promise.all(shared)) {
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'ERR_TASK_ABORTED');
      assert.equal((result.error.cause as Error).message, 'stop these');
    }
    assert.equal(await other, 4);
    await blocker;
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });
});
