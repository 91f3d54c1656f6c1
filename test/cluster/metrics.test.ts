/**
 * The fleet's metrics and snapshot, and how SCHED_RR spreads connections, on one fleet of two
 * processes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metricsContentType, type ProcessSnapshot } from 'spindle/cluster';
import { get, startFixtureCluster, waitUntil, type FixtureCluster } from './cluster-helpers.js';

/** The value of a series in Prometheus text, e.g. `fixture_requests_total` or `spindle_tasks_total{outcome="completed"}`. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  assert.ok(line !== undefined, `no ${series} in the scrape:\n${text}`);
  return Number(line.slice(series.length + 1));
}

// One fleet for the tests of this file (a start costs seconds on a loaded machine); the scrape comes
// first, while the counts are its own.
let fixture: FixtureCluster | undefined;
const started = (): FixtureCluster => fixture ?? assert.fail('the fleet did not start');
before(async () => {
  fixture = await startFixtureCluster({ metricsPort: 0, heartbeatInterval: 200 });
});
after(async () => {
  await fixture?.cluster.close().catch(() => undefined);
});

describe('one view of the fleet', () => {
  it('sums the counts of both processes in one scrape, on the primary\'s port and on any process', { timeout: 60_000 }, async () => {
    const { cluster, url } = started();
    const answered = new Map<number, number>();
    for (let index = 0; index < 12; index++) {
      const { pid } = JSON.parse((await get(`${url}/work?ms=1`)).body) as { pid: number };
      answered.set(pid, (answered.get(pid) ?? 0) + 1);
    }
    assert.equal(answered.size, 2, 'both processes answered');
    const primary = await fetch(`${cluster.metricsUrl ?? ''}/metrics`);
    assert.equal(primary.headers.get('content-type'), metricsContentType);
    const text = await primary.text();
    assert.equal(valueOf(text, 'fixture_requests_total'), 12);
    assert.equal(valueOf(text, 'spindle_tasks_submitted_total'), 12);
    assert.equal(valueOf(text, 'spindle_tasks_total{outcome="completed"}'), 12);
    assert.equal(valueOf(text, 'spindle_workers_started_total'), 2, 'one pool thread in each process');
    assert.equal(valueOf(text, 'spindle_cluster_processes{state="ready"}'), 2);
    assert.equal(valueOf(text, 'spindle_cluster_restarts_total'), 0);
    assert.ok(valueOf(text, 'spindle_utilization_ratio') <= 1, 'utilization is averaged, not summed');
    assert.match(text, /spindle_worker_tasks_completed\{thread_id="\d+",pid="\d+"\} \d+/);
    // Through a process: /metrics on the fixture asks the primary.
    const throughProcess = await get(`${url}/metrics`);
    assert.equal(throughProcess.status, 200);
    assert.equal(valueOf(throughProcess.body, 'fixture_requests_total'), 12);
    const snapshot = await (await fetch(`${cluster.metricsUrl ?? ''}/snapshot`)).json() as { processes: ProcessSnapshot[] };
    assert.deepEqual(snapshot.processes.map((process) => process.slot), [0, 1]);
    assert.equal((await fetch(`${cluster.metricsUrl ?? ''}/other`)).status, 404);
  });

  it('gives each process\'s pid, uptime, restarts, last exit and pool stats as a snapshot and in heartbeat events', { timeout: 60_000 }, async () => {
    const { cluster, url } = started();
    const beats: ProcessSnapshot[] = [];
    cluster.on('heartbeat', (process) => beats.push(process));
    try {
      await get(`${url}/work?ms=1`);
      await get(`${url}/work?ms=1`);
      await waitUntil(() => new Set(beats.map((beat) => beat.slot)).size === 2 && beats.filter((beat) => (beat.pool?.completed ?? 0) > 0).length >= 2, 10_000, 'heartbeats from both');
      const snapshot = cluster.snapshot();
      assert.deepEqual(Object.keys(snapshot).sort(), ['plan', 'processes', 'restarts', 'state', 'watchdogKills']);
      assert.equal(snapshot.plan.processes, 2);
      for (const process of snapshot.processes) {
        assert.ok(process.pid > 0 && process.uptimeMs > 0 && process.restarts === 0 && process.lastExit === null);
        assert.equal(process.state, 'ready');
        assert.equal(process.pool?.workers.total, 1, 'SPINDLE_THREADS sized the pool');
        assert.ok(process.eventLoopDelayMs !== null && process.rssBytes !== null && process.heapUsedBytes !== null);
        assert.ok(process.sinceHeartbeatMs !== null && process.sinceHeartbeatMs < 5_000);
      }
      assert.ok(Object.isFrozen(snapshot) && Object.isFrozen(snapshot.processes));
    } finally {
      cluster.removeAllListeners('heartbeat');
    }
  });
});

describe('distribution', () => {
  it('splits requests across the processes within ±10 % of an even share (SCHED_RR): 45 % to 55 % each', { timeout: 60_000 }, async (t) => {
    const { url } = started();
    // Round-robin hands out connections, not requests: one connection per request, one after the
    // other, makes every request a decision of the primary. (With SCHED_NONE, the kernel's choice,
    // the same load splits about 40 / 60 on Linux.)
    const byPid = new Map<number, number>();
    for (let index = 0; index < 100; index++) {
      const answer = await get(`${url}/pid`);
      assert.equal(answer.status, 200);
      const { pid } = JSON.parse(answer.body) as { pid: number };
      byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
    }
    const counts = [...byPid.values()];
    const shares = counts.map((count) => count / 100);
    t.diagnostic(`100 requests, each on a new connection: ${shares.map((share) => `${(share * 100).toFixed(1)} %`).join(' / ')}`);
    assert.equal(counts.length, 2);
    for (const share of shares) assert.ok(Math.abs(share - 0.5) <= 0.05, `a share of ${(share * 100).toFixed(1)} %, more than 10 % off the even 50 %`);
  });
});
