import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { respawnDelay } from 'spindle/cluster';
import { startAuditedLoad } from './audited-load.js';
import { FULL_SCALE, get, pidAt, startFixtureCluster, startLoad, waitUntil, type FixtureCluster } from './cluster-helpers.js';

describe('respawn', () => {
  // One fleet for both tests (a start costs seconds on a loaded machine); the crash loop's file is written by the second.
  const folder = mkdtempSync(join(tmpdir(), 'spindle-cluster-'));
  const failUntil = join(folder, 'fail-until');
  let fixture: FixtureCluster | undefined;
  const started = (): FixtureCluster => fixture ?? assert.fail('the fleet did not start');
  before(async () => {
    fixture = await startFixtureCluster({ silent: true }, { CLUSTER_FIXTURE_FAIL_UNTIL: failUntil });
  });
  after(async () => {
    await fixture?.cluster.close().catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  });

  it('replaces a process killed with SIGKILL under steady load at once, failing at most the requests in flight on it', { timeout: 60_000 }, async (t) => {
    const { cluster, url } = started();
    const load = startLoad(url, '/work?ms=20', { connections: 8, seconds: 30 });
    const audited = startAuditedLoad(url, '/work?ms=20', 4);
    try {
      await waitUntil(() => new Set(load.pidOfConnection.values()).size === 2 && audited.pids.size > 0, 10_000, 'load on both processes');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [victim, survivor] = cluster.snapshot().processes;
      assert.ok(victim !== undefined && survivor !== undefined);
      // Each autocannon connection has at most one request in flight: those on the victim may fail.
      const connectionsOnVictim = [...load.pidOfConnection.values()].filter((pid) => pid === victim.pid).length;
      const auditedOnVictim = audited.connectionsOf(victim.pid);
      const killedAt = performance.now();
      process.kill(victim.pid, 'SIGKILL');
      const servedAfterMs = await waitUntil(async () => {
        // A connection the primary hands to the dead process before it sees the death is never
        // answered (node:cluster's round-robin): a short timeout, and the next poll.
        const pid = await pidAt(url, undefined, 1_000).catch(() => undefined);
        return pid !== undefined && pid !== victim.pid && pid !== survivor.pid;
      }, 20_000, 'a replacement that answers');
      const replacementMs = performance.now() - killedAt;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const result = await load.stop();
      await audited.stop();
      const failed = result.errors + result.non2xx;
      const counted = audited.counts();
      t.diagnostic(
        `replacement answered ${String(Math.round(replacementMs))} ms after SIGKILL (polled ${String(Math.round(servedAfterMs))} ms); ` +
          `autocannon: ${String(failed)} failed of ${String(result.total)}, ${String(connectionsOnVictim)} connections on the victim; ` +
          `audited: ${String(counted.failed + counted.non2xx)} failed of ${String(counted.sent)} (${JSON.stringify(audited.failures)}), ${String(auditedOnVictim)} connections on the victim`,
      );
      // autocannon: each connection on the victim loses its request in flight, and its reconnection
      // may be handed to the dead process before the primary sees the death.
      assert.ok(failed <= 2 * connectionsOnVictim, `autocannon: ${String(failed)} failed requests, more than twice the ${String(connectionsOnVictim)} connections on the killed process`);
      assert.equal(counted.non2xx, 0);
      assert.equal(counted.sent, counted.ok + counted.failed, 'every request settled');
      // Audited: a failure is a request on a connection the victim answered before (one at most
      // per connection), or on a new connection that no process ever answered (handed to the dead one).
      assert.deepEqual(audited.failures.filter((pid) => pid !== undefined && pid !== victim.pid), [], 'no request failed on another process');
      const onVictim = audited.failures.filter((pid) => pid === victim.pid).length;
      assert.ok(onVictim <= auditedOnVictim, `${String(onVictim)} failed on the victim's ${String(auditedOnVictim)} connections`);
      assert.ok(replacementMs < 15_000, `the replacement answered after ${String(Math.round(replacementMs))} ms`);
      const snapshot = cluster.snapshot();
      const slot = snapshot.processes.find((process) => process.slot === victim.slot);
      assert.equal(slot?.restarts, 1);
      assert.deepEqual({ pid: slot.lastExit?.pid, signal: slot.lastExit?.signal, reason: slot.lastExit?.reason }, { pid: victim.pid, signal: 'SIGKILL', reason: 'crashed' });
      assert.equal(snapshot.restarts, 1);
      assert.equal(snapshot.state, 'running');
    } finally {
      await Promise.all([load.stop(), audited.stop()]);
    }
  });

  // The 10 s loop with SPINDLE_CLUSTER_FULL_SCALE=1; 4 s by default (the same steps of the back-off, fewer of them).
  const loopMs = FULL_SCALE ? 10_000 : 4_000;
  it(`backs off a crash loop (the module throws at start for ${String(loopMs / 1000)} s): bounded forks, degraded, then recovered`, { timeout: 60_000 }, async (t) => {
    const { cluster, url } = started();
    // The first test's replacement may be younger than minUptime: its slot then starts one step further
    // into the back-off, which only lowers its forks under the bound below.
    const forks: number[] = [];
    const events: string[] = [];
    cluster.on('processStart', ({ pid }) => forks.push(pid));
    cluster.on('degraded', () => events.push('degraded'));
    cluster.on('recovered', () => events.push('recovered'));
    try {
      writeFileSync(failUntil, String(Date.now() + loopMs));
      const startedAt = performance.now();
      for (const process_ of cluster.snapshot().processes) process.kill(process_.pid, 'SIGKILL');
      const recoveredAfterMs = await waitUntil(() => events.includes('recovered'), 40_000, 'recovered');
      // The bound: per slot, the forks whose back-off (0, 100, 200, 400 … ms after each death,
      // doubling to 15 s) has run out within the loop, plus the one that loads again.
      let forksPerSlot = 1;
      for (let deaths = 1, waited = 0; waited <= loopMs; deaths++, forksPerSlot++) waited += respawnDelay(deaths + 1, 100, 15_000);
      const bound = 2 * forksPerSlot;
      t.diagnostic(`${String(forks.length)} forks in ${String(Math.round(recoveredAfterMs))} ms until recovered (bound ${String(bound)}): ${events.join(', ')}`);
      assert.ok(forks.length <= bound, `${String(forks.length)} forks, more than the bound of ${String(bound)}`);
      // Each slot: at least one replacement that threw again, and the one that loads.
      assert.ok(forks.length >= 4, `only ${String(forks.length)} forks: the loop did not loop`);
      assert.deepEqual(events.slice(0, 1), ['degraded']);
      assert.ok(recoveredAfterMs >= loopMs - (performance.now() - startedAt - recoveredAfterMs) - 500, 'not recovered while the module still threw');
      await waitUntil(() => cluster.snapshot().processes.filter((process_) => process_.state === 'ready').length === 2, 30_000, 'both slots ready');
      assert.equal(cluster.state, 'running');
      assert.equal((await get(`${url}/pid`)).status, 200);
    } finally {
      cluster.removeAllListeners();
    }
  });
});
