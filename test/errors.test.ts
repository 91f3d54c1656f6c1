import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as spindle from 'spindle';
import { Pool, SpindleError, errorCodes, type SpindleErrorCode } from 'spindle';
import { move, NotMovableError as WorkerNotMovableError } from 'spindle/worker';
import { fixture, outcome } from './helpers.js';

type Tasks = typeof import('./fixtures/tasks.js');

describe('errors', () => {
  it('lists every error code in docs/errors.md, and the docs list no code that does not exist', () => {
    const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Set([...docs.matchAll(/`(ERR_[A-Z_]+)`/g)].map((match) => match[1]));
    assert.deepEqual([...documented].sort(), [...errorCodes].sort());
  });

  it('exports one error class per code, each setting that code', () => {
    const exported: unknown[] = Object.values(spindle);
    const classes = exported.filter(
      (value): value is new (...args: never[]) => SpindleError =>
        typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof SpindleError,
    );
    const codes = classes.map((ErrorClass) => {
      const instance = Reflect.construct(ErrorClass, ['x', ['y']]) as SpindleError;
      assert.equal(instance.name, ErrorClass.name);
      assert.ok(SpindleError.is(instance));
      return instance.code;
    });
    assert.deepEqual([...codes].sort(), [...errorCodes].sort());
    // The type union and the runtime list are one: this line fails to compile if they drift.
    const exhaustive: Record<SpindleErrorCode, true> = Object.fromEntries(errorCodes.map((code) => [code, true])) as Record<SpindleErrorCode, true>;
    assert.equal(Object.keys(exhaustive).length, errorCodes.length);
  });

  it('recognizes Spindle errors without instanceof and rejects look-alikes', () => {
    assert.equal(SpindleError.is(new spindle.QueueFullError(3)), true);
    assert.equal(SpindleError.is(Object.assign(new Error('x'), { code: 'ERR_QUEUE_FULL' })), false);
    assert.equal(SpindleError.is(null), false);
  });

  it("holds instanceof across copies of the package: spindle/worker's own copy of an error class against spindle's", () => {
    // A task module's spindle/worker is a bundle of its own (a worker loads it as one file), with its own error classes.
    assert.notEqual(WorkerNotMovableError, spindle.NotMovableError);
    const thrown: unknown = (() => {
      try {
        move(new SharedArrayBuffer(8) as unknown as ArrayBuffer);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(thrown instanceof WorkerNotMovableError);
    assert.ok(thrown instanceof spindle.NotMovableError, "spindle's NotMovableError recognises the worker copy's");
    assert.ok(thrown instanceof SpindleError);
    assert.ok(thrown instanceof Error);
    assert.equal(thrown instanceof spindle.QueueFullError, false);
    assert.ok(new spindle.NotMovableError('x') instanceof WorkerNotMovableError, "and the worker copy's recognises spindle's");
  });

  it('keeps instanceof false for look-alikes: an Error with a Spindle name and code, or a value that is no object', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'NotMovableError', code: 'ERR_NOT_MOVABLE' });
    assert.equal(lookAlike instanceof spindle.NotMovableError, false);
    assert.equal(lookAlike instanceof SpindleError, false);
    assert.equal((null as unknown) instanceof SpindleError, false);
    assert.equal(('NotMovableError' as unknown) instanceof spindle.NotMovableError, false);
  });

  it('delivers an error thrown in a task with its name, message, stack, code, cause and own properties', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const result = await outcome(pool.run('fail', 'custom'));
    assert.ok(!result.ok);
    const error = result.error as Error & { code: string; detail: unknown; cause: Error };
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'Error');
    assert.equal(error.message, 'task failed');
    assert.equal(error.code, 'E_CUSTOM');
    assert.deepEqual(error.detail, { retryable: false, items: [1, 2] });
    assert.match(error.stack ?? '', /at fail .*fixtures\/tasks\.js/);
    assert.ok(error.cause instanceof RangeError);
    assert.equal(error.cause.message, 'inner cause');
    const typeError = await outcome(pool.run('fail', 'type'));
    assert.ok(!typeError.ok && typeError.error instanceof TypeError);
  });

  it('delivers a thrown non-error value as an Error carrying the value', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const result = await outcome(pool.run('throwValue', { reason: 'plain object' }));
    assert.ok(!result.ok);
    assert.deepEqual((result.error as Error & { value: unknown }).value, { reason: 'plain object' });
    const symbol = await outcome(pool.run('throwValue', 'symbol'));
    assert.ok(!symbol.ok && /Symbol\(thrown\)/.test(symbol.error.message));
  });

  it('rejects a result that cannot be cloned with ERR_RESULT_NOT_CLONEABLE and keeps the worker', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    const before = await pool.run('threadId', undefined);
    await assert.rejects(pool.run('notCloneable'), { code: 'ERR_RESULT_NOT_CLONEABLE' });
    assert.equal(await pool.run('threadId', undefined), before);
    assert.equal(pool.stats().workerCrashes, 0);
  });

  it('rejects only the task whose argument cannot be cloned, even within a batch', async () => {
    await using pool = new Pool<Tasks>(fixture('tasks'), { threads: 1 });
    await pool.run('add', { a: 0, b: 0 });
    const results = await Promise.all([
      outcome(pool.run('add', { a: 1, b: 1 })),
      outcome(pool.run('echo', { callback: () => 1 })),
      outcome(pool.run('add', { a: 2, b: 2 })),
    ]);
    assert.deepEqual(results.map((result) => (result.ok ? result.value : result.error.code)), [2, 'ERR_ARGUMENT_NOT_CLONEABLE', 4]);
  });

  it('delivers a class instance as a plain object: own fields kept, prototype, methods and private fields gone (structured clone)', async () => {
    await using pool = new Pool<typeof import('./fixtures/fault-tasks.js')>(new URL('./fixtures/fault-tasks.js', import.meta.url), { threads: 1 });
    const point = await pool.run('returnClassInstance');
    assert.deepEqual(point, { x: 1 });
    assert.equal(Object.getPrototypeOf(point), Object.prototype);
  });

  it('gives ERR_WORKER_START_FAILED the loader\'s own error as cause, with its code, and names the module and Node in the message', async () => {
    const pool = new Pool(new URL('./fixtures/does-not-exist.js', import.meta.url), { threads: 1 });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: Error & { code?: string; cause?: unknown } }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.match(error.message, /does-not-exist\.js/);
      assert.ok(error.message.includes(process.version));
      assert.equal(error.cause?.code, 'ERR_MODULE_NOT_FOUND');
      assert.equal(error.cause.cause, undefined, 'the cause is the original error, not a wrapper');
      return true;
    });
    await pool.destroy();
  });
});
