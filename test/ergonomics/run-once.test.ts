import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOnce } from 'spindle';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const tasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);

const exitWatch = (): { shared: SharedArrayBuffer; exited: () => boolean } => {
  const shared = new SharedArrayBuffer(4);
  return { shared, exited: () => Atomics.load(new Int32Array(shared), 0) === 1 };
};

describe('runOnce()', () => {
  it('runs one task in a worker of its own and ends the worker before it resolves', async () => {
    const watch = exitWatch();
    const result: string = await runOnce<Tasks, 'noteExit'>(tasks, 'noteExit', { shared: watch.shared });
    assert.equal(result, 'noted');
    assert.ok(watch.exited(), 'the worker has exited');
  });

  it('rejects with the task’s error and still ends the worker', async () => {
    const watch = exitWatch();
    await assert.rejects(runOnce<Tasks, 'noteExit'>(tasks, 'noteExit', { shared: watch.shared, fail: true }), { message: 'failed on purpose' });
    assert.ok(watch.exited(), 'the worker has exited');
  });

  it('accepts a module path, run options and worker options', async () => {
    const progress: unknown[] = [];
    const result = await runOnce<Tasks, 'countTo'>(tasks.pathname, 'countTo', 3, { onProgress: (value) => progress.push(value), name: 'one-shot' });
    assert.equal(result, 'done');
    assert.deepEqual(progress, [{ step: 1 }, { step: 2 }, { step: 3 }]);
    const environment = await runOnce<Tasks, 'environment'>(tasks, 'environment', ['ONE_SHOT'], { env: { ONE_SHOT: 'yes' } });
    assert.deepEqual(environment, { ONE_SHOT: 'yes' });
  });

  it('rejects with ERR_TASK_ABORTED or ERR_TASK_TIMEOUT as pool.run() does', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 100);
    await assert.rejects(runOnce<Tasks, 'spinUntilAborted'>(tasks, 'spinUntilAborted', undefined, { signal: controller.signal }), { code: 'ERR_TASK_ABORTED' });
    await assert.rejects(runOnce<Tasks, 'spinUntilAborted'>(tasks, 'spinUntilAborted', undefined, { timeout: 50 }), { code: 'ERR_TASK_TIMEOUT' });
  });

  it('rejects with ERR_WORKER_START_FAILED when the module cannot be loaded, and ERR_UNKNOWN_TASK for a missing task', async () => {
    await assert.rejects(runOnce(new URL('../fixtures/ergo-no-such-module.js', import.meta.url), 'double', 1), { code: 'ERR_WORKER_START_FAILED' });
    await assert.rejects(runOnce(tasks, 'missing', 1), { code: 'ERR_UNKNOWN_TASK' });
  });

  it('rejects invalid options instead of throwing', async () => {
    const unknownOption = { threadz: 2 } as unknown as Parameters<typeof runOnce>[3];
    await assert.rejects(runOnce(tasks, 'double', 1, unknownOption), { code: 'ERR_INVALID_OPTION' });
    await assert.rejects(runOnce(tasks, 'double', 1, 'fast' as unknown as Parameters<typeof runOnce>[3]), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(runOnce(tasks, 'double', 1, { timeout: -5 }), { code: 'ERR_INVALID_ARGUMENT' });
  });

  it('types the argument and the result from the module type', async () => {
    const doubled: number = await runOnce<Tasks, 'double'>(tasks, 'double', 4);
    assert.equal(doubled, 8);
    // @ts-expect-error: `double` takes a number
    await assert.rejects(runOnce<Tasks, 'double'>(tasks, 'double', 'four', { timeout: -1 }));
  });
});
