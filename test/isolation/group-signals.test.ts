import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const hostScript = fileURLToPath(new URL('../fixtures/group-signal-host.js', import.meta.url));

/** Starts the host as the leader of a new process group, signals the whole group once its task runs, and reports what it printed and how it ended. */
async function signalGroup(runtime: 'thread' | 'process', signal: NodeJS.Signals): Promise<{ lines: unknown[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const env = { ...process.env };
  // Every worker process would write a coverage report of its own.
  delete env.NODE_V8_COVERAGE;
  const host = spawn(process.execPath, [hostScript, runtime], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const group = host.pid ?? 0;
  let stdout = '';
  let stderr = '';
  host.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    host.on('close', (code, exitSignal) => {
      resolve({ code, signal: exitSignal });
    });
  });
  const timer = setTimeout(() => {
    process.kill(-group, 'SIGKILL');
  }, 20_000);
  try {
    await new Promise<void>((resolve) => {
      host.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('"ready"')) resolve();
      });
      host.on('close', () => {
        resolve();
      });
    });
    if (host.exitCode === null) process.kill(-group, signal);
    const outcome = await ended;
    return { lines: stdout.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown), ...outcome, stderr };
  } finally {
    clearTimeout(timer);
  }
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
