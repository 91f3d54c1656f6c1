import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBattleTest, type PhaseResult } from '../../demo/battle/battle-test.js';
import type { EndpointLoad } from '../../demo/battle/load-plan.js';
import { renderResultsTable } from '../../demo/battle/results-table.js';
import { ServiceProcess } from '../../demo/battle/service-process.js';
import { checkTargets } from '../../demo/battle/targets.js';

function phase(mode: 'inline' | 'pooled', healthP99: number, eventLoopDelayP99: number): PhaseResult {
  return {
    mode,
    endpoints: [{ label: 'GET /health', latency: { p50: 1, p95: healthP99 / 2, p99: healthP99 }, throughput: 25, succeeded: 500, errors: 0 }],
    service: { eventLoopDelay: { p50: 1, p99: eventLoopDelayP99, max: eventLoopDelayP99 * 2, samples: 1000 }, cpuPercent: 100, elapsedMs: 20_000 },
    poolStats: null,
    loadGeneratorCpuPercent: 5,
    machineLoadAverage: 1,
  };
}

describe('the battle test', () => {
  it('judges both targets: /health p99 at least 20× better pooled, and pooled event-loop delay p99 under 20 ms', () => {
    const met = checkTargets(phase('inline', 800, 500), phase('pooled', 10, 4));
    assert.deepEqual(met.map((check) => check.met), [true, true]);
    assert.match(met[0]?.description ?? '', /80\.0× better/);
    const missed = checkTargets(phase('inline', 150, 500), phase('pooled', 10, 25));
    assert.deepEqual(missed.map((check) => check.met), [false, false]);
  });

  it('runs a service as a child process that reports its URL and its measurements over IPC', async () => {
    const service = await ServiceProcess.start(['--inline']);
    try {
      assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(await (await fetch(`${service.url}/health`)).json(), { status: 'ok', mode: 'inline' });
      service.resetMeasurements();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { report, poolStats } = await service.readMeasurements();
      assert.equal(poolStats, null);
      assert.ok(report.eventLoopDelay.samples > 10, `${String(report.eventLoopDelay.samples)} event-loop samples in 200 ms`);
      assert.ok(report.elapsedMs >= 150 && report.elapsedMs < 5000);
      assert.ok(report.cpuPercent >= 0);
    } finally {
      await service.stop();
    }
  });

  it('drives the same load at the inline and the pooled service and tabulates both side by side', async () => {
    const plan: EndpointLoad[] = [
      { label: 'POST /passwords/hash', method: 'POST', path: '/passwords/hash', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'p', cost: 6 }), connections: 1, payload: 'bcrypt cost 6' },
      { label: 'GET /health', method: 'GET', path: '/health', headers: {}, connections: 2, overallRate: 20, payload: '20/s' },
    ];
    const steps: string[] = [];
    const phases = await runBattleTest(plan, { durationSeconds: 2, warmupSeconds: 0, pooledFlags: ['--threads', '1'] }, (mode, step) => {
      steps.push(`${mode} ${step}`);
    });
    assert.deepEqual(phases.map((result) => result.mode), ['inline', 'pooled']);
    for (const result of phases) {
      assert.equal(result.endpoints.length, 2);
      for (const endpoint of result.endpoints) {
        assert.ok(endpoint.succeeded > 0, `${result.mode} ${endpoint.label} answered`);
        assert.equal(endpoint.errors, 0);
        assert.ok(endpoint.latency.p50 > 0 && endpoint.latency.p50 <= endpoint.latency.p95 && endpoint.latency.p95 <= endpoint.latency.p99);
      }
    }
    assert.ok((phases[1]?.poolStats?.completed ?? 0) > 0, 'the pooled phase ran its work in the pool');
    assert.ok(steps.includes('inline measuring') && steps.includes('pooled stopping'));
    const table = renderResultsTable(plan, phases[0]!, phases[1]!);
    assert.match(table, /^\| +\| inline p50 \/ p95 \/ p99 ms \|/);
    assert.match(table, /\| POST \/passwords\/hash \(bcrypt cost 6\) +\|/);
    assert.match(table, /\| GET \/health \(20\/s\) +\|/);
    assert.match(table, /\| event-loop delay p50 \/ p99 \/ max ms +\|/);
    assert.match(table, /\| machine load average at start \(1 min\) +\| +\d+\.\d \|/);
  });
});
