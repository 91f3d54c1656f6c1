/**
 * Type tests for spindle/shared, checked by `tsc -p tsconfig.json` in
 * `npm test` and never run. Each `@ts-expect-error` line must fail to
 * compile: if it ever compiled, tsc would report the directive as unused.
 */
import { Pool } from 'spindle';
import { Mutex, RecordChannel, SharedCell, SharedCounter, SharedRecords, type LockHold, type RecordOf } from 'spindle/shared';
import type * as Tasks from '../fixtures/shared/types-tasks.js';
import { ROWS } from '../fixtures/shared/value-tasks.js';

declare const pool: Pool<typeof Tasks>;
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(value: T): T => value;

export async function sharedTypeTests(): Promise<unknown[]> {
  const mutex = new Mutex();
  // A structure crosses as its handle, typed at both ends.
  const locked: boolean = await pool.run('withHandle', mutex.toHandle());
  // @ts-expect-error a Mutex instance is not its handle: pass mutex.toHandle()
  await pool.run('withHandle', mutex);
  // @ts-expect-error a task that declares a Mutex parameter cannot be called: it would receive a plain object
  await pool.run('withInstance', mutex.toHandle());

  const records = new SharedRecords(ROWS, 10);
  const total: number = await pool.run('sumScores', records.toHandle());
  expectType<Equal<ReturnType<typeof records.get>, { id: number; hits: number; score: number; name: string }>>(true);
  expectType<Equal<ReturnType<typeof records.column<'score'>>, Float64Array>>(true);
  expectType<Equal<ReturnType<typeof records.column<'name'>>, Uint8Array>>(true);
  const rebuilt = SharedRecords.from(records.toHandle());
  expectType<Equal<ReturnType<typeof rebuilt.getField<'name'>>, string>>(true);
  // @ts-expect-error no such field
  records.column('nope');
  // @ts-expect-error a string field takes strings
  records.setField(0, 'name', 42);

  const counter = new SharedCounter();
  const big = new SharedCounter({ type: 'bigint64' });
  expectType<Equal<typeof counter.value, number>>(true);
  expectType<Equal<typeof big.value, bigint>>(true);
  expectType<Equal<ReturnType<typeof SharedCounter.from<'bigint64'>>, SharedCounter<'bigint64'>>>(true);
  // @ts-expect-error a bigint counter adds bigints
  big.add(1);

  const cell = new SharedCell({ done: 'uint32', stage: { utf8: 16 } }, { done: 0, stage: 'queued' });
  expectType<Equal<ReturnType<typeof cell.read>, { done: number; stage: string }>>(true);
  // @ts-expect-error the initial value must have every field
  new SharedCell({ done: 'uint32' }, {});

  const channel = new RecordChannel({ x: 'float64', big: 'biguint64', ok: 'bool' });
  const next = await channel.reader().read();
  expectType<Equal<typeof next, RecordOf<{ x: 'float64'; big: 'biguint64'; ok: 'bool' }> | null>>(true);
  expectType<Equal<NonNullable<typeof next>, { x: number; big: bigint; ok: boolean }>>(true);

  const hold: LockHold = await mutex.lock({ timeout: 1_000, signal: AbortSignal.timeout(10) });
  hold.release();
  return [locked, total, next, rebuilt, counter, cell];
}
