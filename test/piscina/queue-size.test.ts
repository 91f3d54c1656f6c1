import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'spindle/piscina';

const filename = fileURLToPath(new URL('../fixtures/piscina-handlers.js', import.meta.url));

describe('spindle/piscina queueSize', () => {
  it('counts the tasks that wait for a worker, not the ones workers run', { timeout: 30_000 }, async () => {
    const pool = new Piscina({ filename, minThreads: 1, maxThreads: 1 });
    try {
      await pool.run({ a: 1, b: 2 }); // the worker is up
      assert.equal(pool.queueSize, 0);
      const tasks = [0, 1, 2].map((value) => pool.run({ value, ms: 200 }, { name: 'later' }));
      // One runs on the only worker; two wait, as piscina counts them.
      assert.equal(pool.queueSize, 2);
      assert.deepEqual(await Promise.all(tasks), [0, 1, 2]);
      assert.equal(pool.queueSize, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('lets `while (pool.queueSize === 0) pool.run(…)` start one task per thread the pool may run, plus one', { timeout: 30_000 }, async () => {
    // piscina's own benchmarks (before 5) started their loops this way.
    const pool = new Piscina({ filename, minThreads: 1, maxThreads: 3 });
    try {
      await pool.run({ a: 1, b: 2 });
      const tasks: Promise<unknown>[] = [];
      while (pool.queueSize === 0 && tasks.length < 100) tasks.push(pool.run({ value: tasks.length, ms: 50 }, { name: 'later' }));
      assert.equal(tasks.length, 4);
      await Promise.all(tasks);
    } finally {
      await pool.destroy();
    }
  });
});
