import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import type * as Tasks from '../fixtures/tasks.js';
import { fixture } from '../helpers.js';

/** A one-process pool that has learned that loopTurnsSoFar is short, so that many of its calls travel in one message. */
async function warmedPool(): Promise<Pool<typeof Tasks>> {
  const pool = new Pool<typeof Tasks>(fixture('tasks'), { runtime: 'process', threads: 1, busyPollUs: 0 });
  for (let index = 0; index < 20; index++) await pool.run('loopTurnsSoFar', undefined);
  return pool;
}

describe('a process worker runs the tasks it holds back to back', () => {
  it('runs tasks that came in one message without a turn of its event loop between them', async () => {
    await using pool = await warmedPool();
    const turns = await Promise.all(Array.from({ length: 20 }, () => pool.run('loopTurnsSoFar', undefined)));
    // One count per message: the 20 fit in one (up to three where a loaded machine makes the pool's estimate of the
    // call grow past its 2 ms budget per message); a turn between every two tasks would give 20.
    assert.ok(new Set(turns).size <= 3, `calls in one message saw the same number of loop turns, got ${turns.join(' ')}`);
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
    await using pool = new Pool<typeof Tasks>(fixture('tasks'), { threads: 1, busyPollUs: 0 });
    for (let index = 0; index < 20; index++) await pool.run('loopTurnsSoFar', undefined);
    const turns = await Promise.all(Array.from({ length: 20 }, () => pool.run('loopTurnsSoFar', undefined)));
    assert.ok(new Set(turns).size <= 3, `got ${turns.join(' ')}`);
  });
});
