import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, lastJsonLine, loadWhileFlaggedUrl, runChild, waitFor, type FaultTasks } from '../faults/fault-helpers.js';
import { isAlive } from './process-helpers.js';

describe("runtime: 'process' through its life", () => {
  it('backs off while its module fails to load (degraded, bounded forks), then recovers once it loads', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'spindle-fault-'));
    const flagFile = join(directory, 'fail-to-load');
    writeFileSync(flagFile, 'while this file exists the task module throws at load');
    const pool = new Pool<typeof import('../fixtures/fault-load-while-flagged.js')>(loadWhileFlaggedUrl, {
      threads: 2,
      runtime: 'process',
      env: { SPINDLE_FAULT_FLAG_FILE: flagFile },
    });
    const events: string[] = [];
    pool.on('degraded', () => events.push('degraded'));
    pool.on('recovered', () => events.push('recovered'));
    try {
      await assert.rejects(pool.ready, (error) => codeOf(error) === 'ERR_WORKER_START_FAILED');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const failures = pool.stats().workerStartFailures;
      // Back-off: 100, 200, 400, 800 ms … after the first failures: a handful in 2 s, never a storm.
      assert.ok(failures >= 2 && failures <= 8, `${String(failures)} failed starts in 2 s`);
      assert.equal(await pool.run('succeed', 1).catch(codeOf), 'ERR_POOL_DEGRADED');
      rmSync(flagFile);
      await waitFor(() => events.includes('recovered'), 15_000, 'the recovered event');
      assert.equal(await pool.run('succeed', 42), 42);
      assert.deepEqual(events, ['degraded', 'recovered']);
    } finally {
      await pool.destroy();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("starts its workers in a host given flags with their values as separate words, and they inherit each flag with its value or neither", async () => {
    const host = new URL('../fixtures/isolation-host.js', import.meta.url);
    // --inspect-port is not inherited (it would open the same port): before, its value stayed behind and the worker took it for its script.
    const execArgv = ['--inspect-port', '9300', '--title', 'spindle-flags-host', '--diagnostic-dir', tmpdir()];
    const outcome = await runChild(host, ['flags'], { execArgv, timeoutMs: 30_000, withoutCoverage: true });
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.deepEqual(lastJsonLine(outcome), { after: 42, workerFlags: ['--title', 'spindle-flags-host'] });
  });

  it('finishes every running and queued task when closed under load, and leaves no process behind', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, runtime: 'process' });
    await pool.ready;
    const pids = pool.stats().perWorker.map((worker) => worker.threadId);
    const tasks = Array.from({ length: 30 }, () => pool.run('sleep', 50));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await pool.close();
    assert.deepEqual(await Promise.all(tasks), Array.from({ length: 30 }, () => 50));
    assert.equal(await pool.run('succeed', 1).catch(codeOf), 'ERR_POOL_CLOSED');
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000, 'the worker processes to exit');
  });

  it('rejects what is left with ERR_POOL_DESTROYED on destroy() and kills its processes at once', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process' });
    await pool.ready;
    const pids = pool.stats().perWorker.map((worker) => worker.threadId);
    const hung = pool.run('spinForever').catch(codeOf);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.destroy();
    assert.equal(await hung, 'ERR_POOL_DESTROYED');
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000, 'the worker process to be killed');
  });
});
