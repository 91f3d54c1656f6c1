/**
 * Pools for the spindle/shared tests, ended however the test ends: a test
 * that times out (a lock never released, a channel end never closed) leaves
 * workers blocked in `Atomics.wait`, which would keep the test process alive
 * and stall CI. `destroy()` ends them, from the test's `after` hook, which
 * node:test runs after a timeout too.
 */
import type { TestContext } from 'node:test';
import { Pool, type PoolOptions } from 'spindle';

/** How long one test of test/shared/ may run, at most: each takes a few seconds on a loaded 2-core machine. */
export const TEST_TIMEOUT_MS = 60_000;

export function startPool<Tasks extends object>(t: Pick<TestContext, 'after'>, tasks: URL, options: PoolOptions): Pool<Tasks> {
  const pool = new Pool<Tasks>(tasks, options);
  t.after(() => pool.destroy());
  return pool;
}
