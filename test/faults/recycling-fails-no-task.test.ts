import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { faultTasksUrl, type FaultTasks } from './fault-helpers.js';

describe('recycling replaces workers without failing any task', () => {
  it('with maxTasksPerWorker = 10, runs 500 tasks once each while replacing workers', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, maxTasksPerWorker: 10 });
    const exitReasons = new Set<string>();
    let exits = 0;
    pool.on('workerExit', ({ reason }) => {
      exits++;
      exitReasons.add(reason);
    });
    const count = 500;
    const counters = new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
    try {
      await pool.ready;
      const results = await Promise.all(Array.from({ length: count }, (_, index) => pool.run('countRun', { counters, index })));
      assert.deepEqual(results, Array<number>(count).fill(1));
      assert.deepEqual([...new Int32Array(counters)], Array<number>(count).fill(1), 'each task ran exactly once');
      const stats = pool.stats();
      assert.equal(stats.failed, 0);
      assert.equal(stats.workerCrashes, 0);
      assert.ok(stats.workersStarted >= count / 10, `only ${stats.workersStarted} workers started for ${count} tasks`);
      assert.ok(exits >= count / 10 - 2, `only ${exits} workers were recycled`);
      assert.deepEqual([...exitReasons], ['recycle']);
    } finally {
      await pool.destroy();
    }
  });

  it('with maxHeapUsedMb = 32, replaces a worker whose heap grows past it, and every task still succeeds', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, maxHeapUsedMb: 32 });
    const exitReasons: string[] = [];
    pool.on('workerExit', ({ reason }) => exitReasons.push(reason));
    try {
      await pool.ready;
      const runs: Promise<number>[] = [];
      for (let index = 0; index < 40; index++) {
        runs.push(pool.run('retainMemory', 4));
        runs.push(pool.run('succeed', index));
      }
      const results = await Promise.all(runs);
      assert.equal(results.length, 80);
      const stats = pool.stats();
      assert.equal(stats.failed, 0);
      assert.equal(stats.workerCrashes, 0);
      assert.ok(exitReasons.length >= 2, `${exitReasons.length} workers were replaced for 160 MB retained`);
      assert.ok(exitReasons.every((reason) => reason === 'recycle'), `exit reasons: ${exitReasons.join(', ')}`);
    } finally {
      await pool.destroy();
    }
  });
});
