import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Pool } from 'spindle';

type ProbeTasks = typeof import('./fixtures/load-probe-tasks.js');
type BuiltinsTasks = typeof import('./fixtures/builtins-probe-tasks.js');

const probe = new URL('./fixtures/load-probe-tasks.js', import.meta.url);
const builtinsProbe = new URL('./fixtures/builtins-probe-tasks.js', import.meta.url);
const bare = fileURLToPath(new URL('../../test/fixtures-raw/builtins-bare.cjs', import.meta.url));

/** The built-in modules a bare forked Node process, or a bare worker thread, has loaded by itself. */
async function bareBuiltins(runtime: 'thread' | 'process'): Promise<string[]> {
  if (runtime === 'thread') {
    const worker = new Worker(bare);
    const [loaded] = (await once(worker, 'message')) as [string[]];
    await worker.terminate();
    return loaded;
  }
  const child = fork(bare, [], { serialization: 'json', execArgv: [] });
  const [loaded] = (await once(child, 'message')) as [string[]];
  await once(child, 'exit');
  return loaded;
}

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

  for (const runtime of ['thread', 'process'] as const) {
    it(`starts a ${runtime} worker and runs its first task without loading node:v8 or node:module where Node has not loaded them already (node:v8 took 0.9–1.9 ms of a Node 24 process worker's start, and the start message alone made one load it)`, async () => {
      await using pool = new Pool<BuiltinsTasks>(builtinsProbe, { threads: 1, runtime, execArgv: [] });
      const loaded = await pool.run('loadedBuiltins');
      const own = new Set(await bareBuiltins(runtime));
      assert.ok(own.size > 0 && loaded.length >= own.size, 'both lists are read');
      assert.deepEqual(
        loaded.filter((name) => !own.has(name) && (name === 'v8' || name === 'module')),
        [],
      );
    });
  }
});
