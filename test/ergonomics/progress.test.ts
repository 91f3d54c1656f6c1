import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const tasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);

describe('progress from a running task', () => {
  it('delivers every progress value in order, all before the result', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const events: unknown[] = [];
    const result = pool.run('countTo', 50, { onProgress: (value) => events.push(value) }).then((value) => {
      events.push(`result:${value}`);
      return value;
    });
    assert.equal(await result, 'done');
    assert.deepEqual(events, [...Array.from({ length: 50 }, (_, index) => ({ step: index + 1 })), 'result:done']);
  });

  it('delivers the progress of a synchronous task before its batched result', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const events: unknown[] = [];
    const result = await pool.run('countToSynchronously', 20, { onProgress: (value) => events.push(value) });
    events.push('result');
    assert.equal(result, 20);
    assert.deepEqual(events, [...Array.from({ length: 20 }, (_, index) => index + 1), 'result']);
  });

  it('carries any cloneable value, buffers moved with transfer() included, as a general message channel', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const parts: unknown[] = [];
    const count = await pool.run('sendPartialResults', 5, { onProgress: (value) => parts.push(value) });
    assert.equal(count, 5);
    assert.deepEqual(
      parts.map((part) => (part instanceof Uint8Array ? [...part] : part)),
      [0, 1, 2, 3, 4].map((index) => [index, index, index, index]),
    );
  });

  it('goes on with the task when onProgress throws, and reports the error as callbackError', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const callbackErrors: Error[] = [];
    pool.on('callbackError', ({ error }) => callbackErrors.push(error));
    const result = await pool.run('countTo', 3, {
      onProgress: () => {
        throw new Error('listener bug');
      },
    });
    assert.equal(result, 'done');
    assert.equal(callbackErrors.length, 3);
    assert.equal(callbackErrors[0]?.message, 'listener bug');
  });

  it('keeps each task’s progress with its own caller when many short tasks share a worker', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2 });
    await pool.ready;
    const calls = Array.from({ length: 200 }, (_, index) => {
      const seen: unknown[] = [];
      const steps = 1 + (index % 5);
      const done = pool.run('countToSynchronously', steps, { onProgress: (value) => seen.push(value) }).then((result) => {
        assert.equal(seen.length, steps, `task ${String(index)} got its result before all its progress`);
        return { result, seen, steps };
      });
      return done;
    });
    for (const { result, seen, steps } of await Promise.all(calls)) {
      assert.equal(result, steps);
      assert.deepEqual(seen, Array.from({ length: steps }, (_, index) => index + 1));
    }
  });

  it('delivers named events from context.emit() to onEvent, in order with progress, all before the result', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 1 });
    const seen: unknown[] = [];
    const result = await pool.run('stagesWithEvents', 2, {
      onEvent: (event, data) => seen.push([event, data]),
      onProgress: (value) => seen.push(value),
    });
    seen.push(result);
    assert.deepEqual(seen, [['stage', { stage: 1 }], 0.5, ['stage', { stage: 2 }], 1, ['done', undefined], 'finished']);
  });
});
