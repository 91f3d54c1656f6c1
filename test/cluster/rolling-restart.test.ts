import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startAuditedLoad } from './audited-load.js';
import { startFixtureCluster, startLoad, waitUntil } from './cluster-helpers.js';

describe('rolling restart', () => {
  it('replaces every process under steady keep-alive load with 0 failed requests and 0 non-2xx responses', { timeout: 90_000 }, async (t) => {
    const { cluster, url } = await startFixtureCluster();
    const load = startLoad(url, '/work?ms=10', { connections: 8, seconds: 60 });
    const audited = startAuditedLoad(url, '/work?ms=10', 4, 15_000);
    const events: string[] = [];
    cluster.on('processStart', ({ slot }) => events.push(`start ${String(slot)}`));
    cluster.on('processReady', ({ slot }) => events.push(`ready ${String(slot)}`));
    cluster.on('processExit', ({ slot, reason }) => events.push(`exit ${String(slot)} ${reason}`));
    try {
      const before = cluster.snapshot().processes.map((process) => process.pid);
      await waitUntil(() => new Set(load.pidOfConnection.values()).size === 2 && audited.pids.size > 0, 10_000, 'load on both processes').catch((error: unknown) => {
        throw new Error(`${String(error)}: autocannon ${JSON.stringify([...load.pidOfConnection.values()])}, audited ${JSON.stringify([...audited.pids])}`);
      });
      const startedAt = performance.now();
      await cluster.reload();
      const reloadMs = performance.now() - startedAt;
      const after = cluster.snapshot().processes.map((process) => process.pid);
      // Keep the load on the new processes a moment, so that every connection has moved to them.
      // Each connection stays with the process it reconnected to: both loads together reach both.
      await waitUntil(() => after.every((pid) => audited.pids.has(pid) || load.byPid.has(pid)), 10_000, 'answers from the new processes');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = await load.stop();
      await audited.stop();
      const counted = audited.counts();
      t.diagnostic(`reload in ${String(Math.round(reloadMs))} ms; autocannon: ${String(result.total)} requests, ${String(result.errors)} errors ${JSON.stringify(result.errorCodes)}, ${String(result.non2xx)} non-2xx; audited: ${String(counted.sent)} sent, ${String(counted.ok)} ok`);
      assert.equal(after.length, 2);
      assert.deepEqual(after.filter((pid) => before.includes(pid)), [], 'every process replaced');
      assert.deepEqual({ errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts }, { errors: 0, non2xx: 0, timeouts: 0 });
      assert.deepEqual({ failed: counted.failed, non2xx: counted.non2xx, sent: counted.sent }, { failed: 0, non2xx: 0, sent: counted.ok });
      assert.ok(after.every((pid) => (result.byPid.get(pid) ?? 0) > 0), 'autocannon reached the new processes');
      // One at a time: the new process is ready before the old one drains.
      assert.deepEqual(events, ['start 0', 'ready 0', 'exit 0 drained', 'start 1', 'ready 1', 'exit 1 drained']);
      const snapshot = cluster.snapshot();
      assert.deepEqual(snapshot.processes.map((process) => [process.slot, process.restarts, process.lastExit?.reason]), [[0, 1, 'drained'], [1, 1, 'drained']]);
      assert.equal(snapshot.state, 'running');
    } finally {
      await Promise.all([load.stop(), audited.stop()]);
      await cluster.close();
    }
  });

  it('stops at a new process that does not become ready, and keeps the old ones serving', { timeout: 60_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'spindle-cluster-'));
    const neverReady = join(folder, 'never-ready');
    // One process is enough to show that the reload stops and leaves it serving. The start timeout
    // covers the first start too, which can take seconds on a loaded machine under coverage.
    const { cluster, url } = await startFixtureCluster({ processes: 1, startTimeout: 6_000 }, { CLUSTER_FIXTURE_NEVER_READY_IF: neverReady });
    try {
      writeFileSync(neverReady, '');
      const before = cluster.snapshot().processes.map((process) => process.pid).sort();
      await assert.rejects(cluster.reload(), (error: Error & { code?: string; cause?: Error & { code?: string; reason?: string } }) => {
        assert.equal(error.code, 'ERR_RELOAD_FAILED');
        assert.equal(error.cause?.code, 'ERR_PROCESS_START_FAILED');
        assert.equal(error.cause.reason, 'timeout');
        assert.match(error.message, /http-worker\.js/);
        return true;
      });
      assert.deepEqual(cluster.snapshot().processes.map((process) => process.pid).sort(), before);
      assert.equal(cluster.state, 'running');
      const answer = await fetch(`${url}/pid`);
      assert.equal(answer.status, 200);
    } finally {
      await cluster.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
