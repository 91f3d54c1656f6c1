import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SpindleError } from 'spindle';
import { startCluster, type ProcessStartError } from 'spindle/cluster';
import { freePort, runCli, workerModule } from './cluster-helpers.js';

const workerFile = fileURLToPath(workerModule);

/** Starts the fixture with `env`, expecting `ready` to reject; returns the error and the supervisor's log. */
async function failedStart(env: Record<string, string>, options: { readonly worker?: URL; readonly startTimeout?: number } = {}): Promise<{ error: ProcessStartError; log: string[]; state: string }> {
  const log: string[] = [];
  const cluster = startCluster({ worker: options.worker ?? workerModule, processes: 2, threadsPerProcess: 1, oversubscribe: true, execArgv: [], signals: false, silent: true, log: (line) => log.push(line), startTimeout: options.startTimeout ?? 30_000, env: { PORT: String(await freePort()), ...env } });
  const error = await cluster.ready.then(
    () => assert.fail('the cluster started'),
    (reason: unknown) => reason as ProcessStartError,
  );
  await cluster.close(); // resolves: the supervisor closed itself
  return { error, log, state: cluster.state };
}

describe('a worker module that cannot start', () => {
  it('that does not exist: ready rejects with ERR_PROCESS_START_FAILED naming the file, and nothing is forked', async () => {
    const missing = new URL('./no-such-server.js', workerModule);
    const { error, log, state } = await failedStart({}, { worker: missing });
    assert.equal(error.code, 'ERR_PROCESS_START_FAILED');
    assert.equal(error.reason, 'not-found');
    assert.equal(error.file, fileURLToPath(missing));
    assert.match(error.message, /no-such-server\.js does not exist/);
    assert.ok(SpindleError.is(error), 'SpindleError.is() recognizes it');
    assert.equal(state, 'closed');
    assert.ok(!log.some((line) => line.startsWith('ready')));
  });

  it('that throws at start: ready rejects with ERR_PROCESS_START_FAILED naming the file and its exit code, and the cluster closes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'spindle-cluster-'));
    try {
      writeFileSync(join(folder, 'fail-until'), String(Date.now() + 60_000));
      const { error, state } = await failedStart({ CLUSTER_FIXTURE_FAIL_UNTIL: join(folder, 'fail-until') });
      assert.equal(error.code, 'ERR_PROCESS_START_FAILED');
      assert.equal(error.reason, 'exited');
      assert.equal(error.exitCode, 1);
      assert.equal(error.file, workerFile);
      assert.match(error.message, /http-worker\.js exited with code 1 before it reported ready/);
      assert.equal(state, 'closed');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('that never reports ready: killed after startTimeout, ready rejects with ERR_PROCESS_START_FAILED', async () => {
    const startedAt = performance.now();
    const { error } = await failedStart({ CLUSTER_FIXTURE_NEVER_READY: '1' }, { startTimeout: 1_500 });
    assert.equal(error.code, 'ERR_PROCESS_START_FAILED');
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /http-worker\.js did not report ready within startTimeout \(1500 ms\)/);
    assert.ok(performance.now() - startedAt < 15_000);
  });

  it('spindle-cluster prints the coded error and exits 1; bad arguments exit 2 with the usage', { timeout: 60_000 }, async () => {
    const missing = runCli(['./no-such-server.js']);
    assert.deepEqual(await missing.exited, { code: 1, signal: null });
    assert.match(missing.output(), /spindle-cluster: ERR_PROCESS_START_FAILED: The worker module .*no-such-server\.js does not exist/);

    const unknownFlag = runCli([workerFile, '--procesess', '2']);
    assert.deepEqual(await unknownFlag.exited, { code: 2, signal: null });
    assert.match(unknownFlag.output(), /Unknown option '--procesess'[\s\S]*Usage: spindle-cluster/);

    const oversized = runCli([workerFile, '--processes', '3', '--cores', '2']);
    assert.deepEqual(await oversized.exited, { code: 2, signal: null });
    assert.match(oversized.output(), /ERR_INVALID_OPTION Expected `processes` × \(`threadsPerProcess` \+ 1 event loop\) to be at most the 2 cores/);

    const help = runCli(['--help']);
    assert.deepEqual(await help.exited, { code: 0, signal: null });
    assert.match(help.output(), /^Usage: spindle-cluster <worker module>/);
  });
});
