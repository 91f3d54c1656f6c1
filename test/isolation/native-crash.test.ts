import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Pool } from 'spindle';
import { faultTasksUrl, lastJsonLine, runChild, waitFor, type FaultTasks } from '../faults/fault-helpers.js';
import { buildCrashingAddon } from './native-addon.js';
import { childrenOf, isAlive } from './process-helpers.js';

const hostScript = new URL('../fixtures/isolation-host.js', import.meta.url);
let addon = '';

before(() => {
  addon = buildCrashingAddon();
});

const FAULTS = [
  { fault: 'abort', what: 'process.abort()', run: (pool: Pool<FaultTasks>) => pool.run('abortProcess'), signal: 'SIGABRT' },
  { fault: 'segv', what: 'a SIGSEGV', run: (pool: Pool<FaultTasks>) => pool.run('killOwnProcess', 'SIGSEGV'), signal: 'SIGSEGV' },
  { fault: 'native-crash', what: 'a real segmentation fault in an addon', run: (pool: Pool<FaultTasks>) => pool.run('crashNatively', { addon, how: 'crash' }), signal: 'SIGSEGV' },
  { fault: 'native-abort', what: "an addon's call of C's abort()", run: (pool: Pool<FaultTasks>) => pool.run('crashNatively', { addon, how: 'abort' }), signal: 'SIGABRT' },
] as const;

describe("runtime: 'process' isolates native crashes", () => {
  for (const { what, run, signal } of FAULTS) {
    it(`fails only the task whose process dies of ${what}, with ERR_WORKER_EXITED and ${signal}; the host serves on`, async () => {
      const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 2, runtime: 'process' });
      try {
        await pool.ready;
        const neighbours = Array.from({ length: 20 }, (_, index) => pool.run('succeed', index));
        const crashed = (await run(pool).catch((error: unknown) => error)) as Error & { code?: string; signal?: string };
        assert.equal(crashed.code, 'ERR_WORKER_EXITED');
        assert.equal(crashed.signal, signal);
        assert.deepEqual(await Promise.all(neighbours), Array.from({ length: 20 }, (_, index) => index));
        await waitFor(() => pool.stats().workers.idle === 2, 10_000, 'two ready workers again');
        assert.equal(await pool.run('succeed', 42), 42);
      } finally {
        await pool.destroy();
      }
    });
  }
});

describe("runtime: 'thread' shares its process: the same faults take the host down (what the docs show)", () => {
  // (process.abort() itself is refused in a worker thread: ERR_WORKER_UNSUPPORTED_OPERATION, a task error.)
  for (const { fault, what, signal } of FAULTS.filter((entry) => entry.fault !== 'abort')) {
    it(`a host whose thread worker dies of ${what} dies of ${signal} with it; with runtime 'process' it lives`, async () => {
      const threaded = await runChild(hostScript, ['thread', fault, addon], { timeoutMs: 30_000, withoutCoverage: true });
      // A signal, or the shell's 128 + its number when Node re-raised it on the way out.
      const died = threaded.signal === signal || threaded.exitCode === 128 + (signal === 'SIGABRT' ? 6 : 11);
      assert.ok(died, `the host died of ${signal}: exit ${String(threaded.exitCode)}, signal ${String(threaded.signal)}, ${threaded.stdout}`);
      const isolated = await runChild(hostScript, ['process', fault, addon], { timeoutMs: 30_000, withoutCoverage: true });
      assert.equal(isolated.exitCode, 0, isolated.stderr);
      assert.deepEqual(lastJsonLine(isolated), { settled: 'rejected', code: 'ERR_WORKER_EXITED', signal, after: 42, hostAlive: true });
    });
  }
});

describe("runtime: 'process' leaves no orphans", () => {
  it('its worker processes exit by themselves when the host is killed with SIGKILL', async () => {
    let pids: number[] = [];
    const outcome = await runChild(hostScript, ['orphans'], {
      timeoutMs: 30_000,
      withoutCoverage: true,
      onLine: (line, child) => {
        pids = (JSON.parse(line) as { pids: number[] }).pids;
        child.kill('SIGKILL');
      },
    });
    assert.equal(outcome.signal, 'SIGKILL');
    assert.equal(pids.length, 2);
    const started = performance.now();
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 10_000, 'the orphaned workers to exit');
    assert.ok(performance.now() - started < 10_000);
  });

  it('kills a worker process stuck in a synchronous task when the host is killed with SIGKILL, and its reaper exits too', async () => {
    let pids: number[] = [];
    let hostChildren: number[] = [];
    let killed = (): void => undefined;
    const hostKilled = new Promise<void>((resolve) => {
      killed = resolve;
    });
    const run = runChild(hostScript, ['orphans-busy'], {
      timeoutMs: 30_000,
      withoutCoverage: true,
      onLine: (line, child) => {
        pids = (JSON.parse(line) as { pids: number[] }).pids;
        // The workers and, on Linux, the one reaper the host started with them.
        hostChildren = child.pid === undefined ? [] : childrenOf(child.pid);
        child.kill('SIGKILL');
        killed();
      },
    });
    await Promise.race([hostKilled, run]);
    try {
      assert.equal(pids.length, 2);
      if (process.platform === 'linux') assert.equal(hostChildren.length, 3, `the workers and a reaper: ${JSON.stringify(hostChildren)}`);
      await waitFor(() => [...pids, ...hostChildren].every((pid) => !isAlive(pid)), 10_000, 'the worker stuck in its task, the other and the reaper to exit');
    } finally {
      // An orphan left behind holds the host's stdout open, and the run would never end: this test fails instead.
      for (const pid of [...pids, ...hostChildren]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    assert.equal((await run).signal, 'SIGKILL');
  });
});
