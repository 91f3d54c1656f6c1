/**
 * Type tests, checked by `tsc -p tsconfig.json` in `npm test` and never run.
 * Each `@ts-expect-error` line must fail to compile: if it ever compiled,
 * tsc would report the directive as unused and the build would fail.
 */
import { Pool, transfer, type TaskArgument, type TaskName, type TaskResult } from 'spindle';
import type * as CommonJsStyle from '../fixtures/types-default-object.js';
import type * as Tasks from '../fixtures/tasks.js';
import type * as BufferTasks from '../fixtures/types-buffers.js';

declare const pool: Pool<typeof Tasks>;
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(value: T): T => value;

export async function typeTests(): Promise<unknown[]> {
  // The name, the argument and the result flow from the module's types.
  const sum: number = await pool.run('add', { a: 1, b: 2 });
  const later: number = await pool.run('addLater', { a: 1, b: 2, delayMs: 3 });
  expectType<Equal<Awaited<ReturnType<typeof pool.run<'add'>>>, number>>(true);
  expectType<Equal<TaskArgument<typeof Tasks, 'add'>, { a: number; b: number }>>(true);
  expectType<Equal<TaskResult<typeof Tasks, 'invert'>, ArrayBuffer>>(true);
  expectType<Equal<TaskResult<typeof Tasks, 'sleep'>, number>>(true);

  // A task that takes no argument may be called without one.
  await pool.run('noop');
  // Options go after the argument.
  await pool.run('add', { a: 1, b: 2 }, { priority: 1, timeout: 100, signal: AbortSignal.timeout(10) });
  // A transferred argument is accepted where the argument is, and a transferred result is unwrapped.
  const inverted: ArrayBuffer = await pool.run('invert', transfer(new ArrayBuffer(8)));

  // @ts-expect-error: a task name the module does not export
  await pool.run('ad', { a: 1, b: 2 });
  // @ts-expect-error: the wrong argument type
  await pool.run('add', { a: '1', b: 2 });
  // @ts-expect-error: a missing argument
  await pool.run('add');
  // @ts-expect-error: the result is a number, not a string
  const wrong: string = await pool.run('add', { a: 1, b: 2 });
  // @ts-expect-error: run options are checked too
  await pool.run('add', { a: 1, b: 2 }, { priority: 'high' });

  // Without a module type, any name and argument are allowed and the result is unknown.
  const untyped = new Pool(new URL('file:///tasks.js'));
  const anything: unknown = await untyped.run('whatever', { any: 'thing' });

  // The functions of a default-exported object (CommonJS module.exports) are tasks too.
  const commonJs = new Pool<typeof CommonJsStyle>(new URL('file:///tasks.cjs'));
  const upper: string = await commonJs.run('shout', 'hi');
  expectType<Equal<TaskName<typeof CommonJsStyle>, 'shout' | 'whisper'>>(true);
  // @ts-expect-error: not a function of the default export
  await commonJs.run('version');

  // What crosses threads is a structured clone: a Buffer arrives as a Uint8Array, and the types say so.
  const buffers = new Pool<typeof BufferTasks>(new URL('file:///types-buffers.js'));
  const thumbnail = await buffers.run('makeThumbnail', Buffer.from('a Buffer is a Uint8Array, so it may be sent'));
  expectType<Equal<typeof thumbnail, Uint8Array>>(true);
  // @ts-expect-error: the result is a Uint8Array, whose toString() takes no encoding
  thumbnail.toString('base64');
  const deep = await buffers.run('nested', { bytes: new Uint8Array(2), label: 'x' });
  expectType<Equal<typeof deep, { readonly out: Uint8Array; readonly list: Uint8Array[]; readonly at: Date }>>(true);
  // @ts-expect-error: the task declares a Buffer, but its worker would receive a Uint8Array
  await buffers.run('needsBuffer', Buffer.from('x'));
  // A class instance arrives as a plain object of its fields, without methods.
  const point = await buffers.run('makePoint');
  expectType<Equal<typeof point, { readonly x: number; readonly y: number }>>(true);
  // @ts-expect-error: the task would call a method its argument no longer has
  await buffers.run('takesPoint', { x: 1, y: 2 });
  await buffers.run('takesPlainPoint', { x: 1, y: 2 });

  return [sum, later, inverted, wrong, anything, upper, thumbnail, deep, point];
}
