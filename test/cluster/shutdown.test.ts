import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, get, isAlive, pidsIn, runCli, startLoad, waitUntil, workerModule } from './cluster-helpers.js';

const workerFile = fileURLToPath(workerModule);
const fleet = ['--processes', '2', '--threads-per-process', '1', '--oversubscribe'];

describe('spindle-cluster on signals', () => {
  it('SIGHUP replaces every process; SIGTERM under load answers every request in flight, exits 0 and leaves no process behind', { timeout: 90_000 }, async (t) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${String(port)}`;
    const cli = runCli([workerFile, ...fleet], { PORT: String(port) });
    const first = pidsIn((await cli.waitForLine(/ready: 2 processes \(pids ([\d, ]+)\)/))[1] ?? '');
    cli.child.kill('SIGHUP');
    const reloaded = await cli.waitForLine(/rolling restart done in (\d+) ms: pids ([\d, ]+) replaced by ([\d, ]+)/);
    const [, reloadMs, replaced = '', replacements = ''] = reloaded;
    assert.deepEqual(pidsIn(replaced).sort(), [...first].sort());
    const second = pidsIn(replacements);
    assert.equal(second.length, 2);
    assert.ok(first.every((pid) => !isAlive(pid)), 'the replaced processes are gone');

    const load = startLoad(url, '/work?ms=10', { connections: 4, seconds: 60 });
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    try {
      await waitUntil(() => load.pidOfConnection.size > 0, 10_000, 'load');
      const inFlight = Array.from({ length: 6 }, () => get(`${url}/work?ms=1000`, { agent }).then((answer) => answer, (error: unknown) => ({ status: 0, body: String(error) })));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalledAt = performance.now();
      cli.child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      const exit = await cli.exited;
      const shutdownMs = performance.now() - signalledAt;
      t.diagnostic(`SIGHUP reload in ${String(reloadMs)} ms; SIGTERM to exit in ${String(Math.round(shutdownMs))} ms`);
      assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200, 200, 200, 200], 'every request in flight was answered');
      assert.deepEqual(exit, { code: 0, signal: null }, cli.output());
      assert.match(cli.output(), /every process drained; exiting with code 0/);
      assert.ok(second.every((pid) => !isAlive(pid)), 'no process left behind');
      await assert.rejects(get(`${url}/pid`), { code: 'ECONNREFUSED' });
    } finally {
      await load.stop();
      agent.destroy();
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  });

  it('leaves no orphan when the supervisor is killed with SIGKILL, not even a process whose event loop is stuck', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${String(port)}`;
    const cli = runCli([workerFile, ...fleet], { PORT: String(port) });
    const pids = pidsIn((await cli.waitForLine(/ready: 2 processes \(pids ([\d, ]+)\)/))[1] ?? '');
    try {
      // One process never turns its event loop again: it cannot see its IPC channel close.
      const blocked = get(`${url}/block`).then(
        () => 'answered',
        () => 'reset',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      cli.child.kill('SIGKILL');
      assert.deepEqual(await cli.exited, { code: null, signal: 'SIGKILL' });
      await waitUntil(() => pids.every((pid) => !isAlive(pid)), 10_000, 'both processes, the stuck one too, to exit');
      assert.equal(await blocked, 'reset');
    } finally {
      for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('kills a process still draining after --drain-timeout, names it, and exits 1', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${String(port)}`;
    const cli = runCli([workerFile, ...fleet, '--drain-timeout', '1000'], { PORT: String(port) });
    try {
      await cli.waitForLine(/ready: 2 processes/);
      const slow = get(`${url}/work?ms=10000`).then((answer) => answer.status, (error: unknown) => (error as { code?: string }).code);
      await new Promise((resolve) => setTimeout(resolve, 300));
      cli.child.kill('SIGTERM');
      const exit = await cli.exited;
      assert.deepEqual(exit, { code: 1, signal: null }, cli.output());
      assert.match(cli.output(), /1 of 2 processes did not exit within 1000 ms and were killed: pid \d+ \(slot \d, drain-timeout\); exiting with code 1/);
      assert.equal(await slow, 'ECONNRESET');
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  });
});
