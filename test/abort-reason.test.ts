import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { waitFor } from './faults/fault-helpers.js';
import { fixture } from './helpers.js';

type Tasks = typeof import('./fixtures/abort-reason-tasks.js');

for (const runtime of ['thread', 'process'] as const) {
  describe(`what a task module sees of its worker's script (runtime: '${runtime}')`, () => {
    it("gets a timeout's reason as an Error with TaskTimeoutError's name, code and message", async () => {
      const directory = mkdtempSync(join(tmpdir(), 'spindle-reason-'));
      const file = join(directory, 'reason.json');
      try {
        await using pool = new Pool<Tasks>(fixture('abort-reason-tasks'), { threads: 1, runtime, abortGrace: 10_000 });
        await assert.rejects(pool.run('recordAbortReason', file, { timeout: 100 }), { code: 'ERR_TASK_TIMEOUT' });
        await waitFor(() => existsSync(file) && readFileSync(file, 'utf8') !== '', 10_000, 'the task to record its reason');
        assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { isError: true, name: 'TaskTimeoutError', code: 'ERR_TASK_TIMEOUT', message: 'The task ran longer than its timeout of 100 ms' });
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it("gets an aborted signal's reason as an Error of the same name, message and properties, or one that carries a reason that is no Error", async () => {
      const directory = mkdtempSync(join(tmpdir(), 'spindle-reason-'));
      try {
        await using pool = new Pool<Tasks>(fixture('abort-reason-tasks'), { threads: 1, runtime, abortGrace: 10_000 });
        const reasons: [unknown, object][] = [
          [Object.assign(new RangeError('out of range'), { code: 'E_RANGE' }), { isError: true, name: 'RangeError', code: 'E_RANGE', message: 'out of range' }],
          ['stop please', { isError: true, name: 'Error', message: 'stop please', value: 'stop please' }],
        ];
        for (const [index, [reason, expected]] of reasons.entries()) {
          const file = join(directory, `reason-${String(index)}.json`);
          const controller = new AbortController();
          const task = pool.run('recordAbortReason', file, { signal: controller.signal });
          await waitFor(() => existsSync(`${file}.started`), 10_000, 'the task to start');
          controller.abort(reason);
          await assert.rejects(task, { code: 'ERR_TASK_ABORTED' });
          await waitFor(() => existsSync(file) && readFileSync(file, 'utf8') !== '', 10_000, 'the task to record its reason');
          assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), expected);
        }
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('reads the workerData option from spindle/worker, though the worker script that sets it carries its own copy of that module', async () => {
      await using pool = new Pool<Tasks>(fixture('abort-reason-tasks'), { threads: 1, runtime, workerData: { answer: 42 } });
      assert.deepEqual(await pool.run('readWorkerData', undefined), { answer: 42 });
    });
  });
}
