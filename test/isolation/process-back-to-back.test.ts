import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import type * as Tasks from '../fixtures/tasks.js';
import { fixture } from '../helpers.js';

/** A one-worker pool that has learned that loopTurnsSoFar is short, so that many of its calls travel in one message. */
async function warmedPool(runtime: 'process' | 'thread' = 'process'): Promise<Pool<typeof Tasks>> {
  const pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime, threads: 1, busyPollUs: 0 });
  for (let index = 0; index < 20; index++) await pool.run('loopTurnsSoFar', undefined);
  return pool;
}

/**
 * The fewest distinct loop-turn counts 20 calls submitted at once saw, over up to five tries. One count per message:
 * the 20 fit in one, and a try on a loaded machine may see a few more (the pool's estimate of the call grows past its
 * 2 ms budget per message, or a call preempted for 5 ms sends the worker through its loop, as it should); a turn
 * between every two tasks gives 20 in every try.
 */
async function fewestCountsPerBurst(pool: Pool<typeof Tasks>): Promise<{ fewest: number; seen: string[] }> {
  const seen: string[] = [];
  let fewest = Infinity;
  for (let attempt = 0; attempt < 5 && fewest > 3; attempt++) {
    const turns = await Promise.all(Array.from({ length: 20 }, () => pool.run('loopTurnsSoFar', undefined)));
    fewest = Math.min(fewest, new Set(turns).size);
    seen.push(turns.join(' '));
  }
  return { fewest, seen };
}

describe('a process worker runs the tasks it holds back to back', () => {
  it('runs tasks that came in one message without a turn of its event loop between them', async () => {
    await using pool = await warmedPool();
    const { fewest, seen } = await fewestCountsPerBurst(pool);
    assert.ok(fewest <= 3, `calls in one message saw the same number of loop turns, got ${seen.join(' | ')}`);
  });

  it('returns to its event loop before each task that carries a signal, so that an abort sent meanwhile is read first', async () => {
    await using pool = await warmedPool();
    const controller = new AbortController();
    const turns = await Promise.all(Array.from({ length: 30 }, () => pool.run('loopTurnsSoFar', undefined, { signal: controller.signal })));
    for (let index = 1; index < turns.length; index++) assert.ok((turns[index] ?? 0) > (turns[index - 1] ?? 0), `a loop turn before each call, got ${turns.join(' ')}`);
  });

  it('returns to its event loop before each task that has a timeout or a queueTimeout', async () => {
    await using pool = await warmedPool();
    for (const options of [{ timeout: 10_000 }, { queueTimeout: 10_000 }]) {
      const turns = await Promise.all(Array.from({ length: 10 }, () => pool.run('loopTurnsSoFar', undefined, options)));
      for (let index = 1; index < turns.length; index++) assert.ok((turns[index] ?? 0) > (turns[index - 1] ?? 0), `a loop turn before each call with ${JSON.stringify(options)}, got ${turns.join(' ')}`);
    }
  });

  it('a thread worker runs what it holds back to back too', async () => {
    await using pool = await warmedPool('thread');
    const { fewest, seen } = await fewestCountsPerBurst(pool);
    assert.ok(fewest <= 3, `got ${seen.join(' | ')}`);
  });
});
