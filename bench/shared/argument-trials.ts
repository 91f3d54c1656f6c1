/**
 * Argument trials, for the crossover in docs/shared-memory.md: microseconds
 * per `await pool.run()` whose argument is `bytes` long, one call at a time
 * on a one-thread pool, when the argument is
 *
 *   shared   a SharedArrayBuffer made once: shared, never copied
 *   copied   a Uint8Array: copied by structured clone on every call
 */
import { Pool } from 'spindle';

export const ARGUMENT_VARIANTS = ['shared', 'copied'] as const;

export async function argumentTrial(variant: (typeof ARGUMENT_VARIANTS)[number], bytes: number, budgetMs: number): Promise<number> {
  await using pool = new Pool<typeof import('./argument-tasks.js')>(new URL('./argument-tasks.js', import.meta.url), { threads: 1 });
  await pool.ready;
  const shared = new SharedArrayBuffer(bytes);
  const plain = new Uint8Array(bytes);
  const call = (): Promise<number> => (variant === 'shared' ? pool.run('touchPages', shared) : pool.run('touchPages', plain));
  for (let warm = 0; warm < 20; warm++) await call();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    await call();
    calls++;
  }
  return ((performance.now() - started) * 1_000) / calls;
}
