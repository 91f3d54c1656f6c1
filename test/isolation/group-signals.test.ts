import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChild } from '../faults/fault-helpers.js';

const hostScript = new URL('../fixtures/group-signal-host.js', import.meta.url);

/** Starts the host as the leader of a new process group, signals the whole group once its task runs, and reports what it printed and how it ended. */
async function signalGroup(runtime: 'thread' | 'process', signal: NodeJS.Signals): Promise<{ lines: unknown[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const outcome = await runChild(hostScript, [runtime], {
    timeoutMs: 20_000,
    withoutCoverage: true,
    ownGroup: true,
    onLine: (line, child) => {
      if (line.includes('"ready"') && child.pid !== undefined) process.kill(-child.pid, signal);
    },
  });
  const lines = outcome.stdout.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
  return { lines, code: outcome.exitCode, signal: outcome.signal, stderr: outcome.stderr };
}

describe('a signal to the whole process group (Ctrl+C in a terminal, systemd stopping a unit)', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`lets closeOnSignal() drain a runtime: 'process' pool on ${signal}: the running task finishes and the host exits 0, as with threads`, async () => {
      for (const runtime of ['process', 'thread'] as const) {
        const outcome = await signalGroup(runtime, signal);
        assert.deepEqual(outcome.lines, [{ ready: true }, { task: 'held' }], `${runtime}: ${outcome.stderr}`);
        assert.deepEqual({ code: outcome.code, signal: outcome.signal }, { code: 0, signal: null }, `${runtime}: ${outcome.stderr}`);
      }
    });
  }
});
