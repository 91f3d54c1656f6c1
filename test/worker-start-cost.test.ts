import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';

type ProbeTasks = typeof import('./fixtures/load-probe-tasks.js');

const probe = new URL('./fixtures/load-probe-tasks.js', import.meta.url);

describe('what a worker loads to run its tasks', () => {
  for (const runtime of ['thread', 'process'] as const) {
    it(`runs synchronous, asynchronous and batched tasks in a ${runtime} worker without loading Node's perf_hooks, whose first load took 1.2–1.9 ms of a worker's first task`, async () => {
      await using pool = new Pool<ProbeTasks>(probe, { threads: 1, runtime });
      await pool.run('nextTurn');
      await Promise.all(Array.from({ length: 20 }, () => pool.run('loadedWithRequire')));
      await pool.run('nextTurn');
      assert.equal(await pool.run('loadedPerfHooks'), false);
    });
  }
});
