/**
 * Type tests of QueuePool, checked by `tsc -p tsconfig.json` in `npm test`
 * and never run: `fleet.run()` and `fleet.map()` are typed from the task
 * module exactly as `pool.run()` and `pool.map()` are. Each
 * `@ts-expect-error` line must fail to compile: if it ever compiled, tsc
 * would report the directive as unused and the build would fail.
 */
import { transfer, type Pool } from 'spindle';
import type { QueuePool } from 'spindle/bullmq';
import type * as BufferTasks from '../fixtures/types-buffers.js';
import type * as Tasks from '../fixtures/tasks.js';

declare const fleet: QueuePool<typeof Tasks>;
declare const pool: Pool<typeof Tasks>;
declare const buffers: QueuePool<typeof BufferTasks>;
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(value: T): T => value;

export async function queuePoolTypeTests(): Promise<unknown[]> {
  // The name, the argument and the result flow from the module's types, as for a local pool.
  const sum: number = await fleet.run('add', { a: 1, b: 2 });
  expectType<Equal<Awaited<ReturnType<typeof fleet.run<'add'>>>, Awaited<ReturnType<typeof pool.run<'add'>>>>>(true);
  expectType<Equal<Awaited<ReturnType<typeof fleet.run<'invert'>>>, Awaited<ReturnType<typeof pool.run<'invert'>>>>>(true);
  expectType<Equal<Parameters<typeof fleet.run<'add'>>[1], Parameters<typeof pool.run<'add'>>[1]>>(true);
  // A task that takes no argument may be called without one.
  await fleet.run('noop');
  // The options a queue can honour, and BullMQ's delay and backoff.
  await fleet.run('add', { a: 1, b: 2 }, { priority: 1, timeout: 100, queueTimeout: 50, retries: 2, backoff: { type: 'exponential', delay: 100 }, delay: 10, signal: AbortSignal.timeout(10) });
  await fleet.run('reportProgress', 3, { onProgress: (value) => value, onEvent: (event, data) => [event, data] });
  // A transferred argument is accepted where the argument is, and a transferred result is unwrapped.
  const inverted: ArrayBuffer = await fleet.run('invert', transfer(new ArrayBuffer(8)));

  // @ts-expect-error: a task name the module does not export
  await fleet.run('ad', { a: 1, b: 2 });
  // @ts-expect-error: the wrong argument type
  await fleet.run('add', { a: '1', b: 2 });
  // @ts-expect-error: a missing argument
  await fleet.run('add');
  // @ts-expect-error: the result is a number, not a string
  const wrong: string = await fleet.run('add', { a: 1, b: 2 });
  // @ts-expect-error: run options are checked too
  await fleet.run('add', { a: 1, b: 2 }, { priority: 'high' });

  // map() yields the task's results.
  const sums: number[] = [];
  for await (const result of fleet.map([{ a: 1, b: 2 }], 'add', { concurrency: 2, ordered: false })) sums.push(result);
  expectType<Equal<ReturnType<typeof fleet.map<'add'>>, AsyncGenerator<number, void, undefined>>>(true);
  // @ts-expect-error: items of the wrong type
  fleet.map(['1'], 'add');

  // What crosses is what a structured clone carries: a Buffer arrives as a Uint8Array, and the types say so.
  const thumbnail = await buffers.run('makeThumbnail', Buffer.from('a Buffer is a Uint8Array, so it may be sent'));
  expectType<Equal<typeof thumbnail, Uint8Array>>(true);
  // @ts-expect-error: the task declares a Buffer, but its node would receive a Uint8Array
  await buffers.run('needsBuffer', Buffer.from('x'));

  return [sum, inverted, wrong, thumbnail, sums, pool];
}
