import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawResults } from '../../bench/raw.js';
import { RAW_PINNED } from '../../bench/run-child.js';
import { runBenchScript } from '../bench-script.js';

interface GroupSettings {
  readonly pools: readonly string[];
  readonly workloads: readonly string[];
}

interface BenchReport {
  readonly startedAt: string;
  readonly settings: { readonly groups: { readonly threads?: GroupSettings; readonly process?: GroupSettings } };
  readonly medians: Record<string, Record<string, Record<string, number>> | undefined>;
  readonly targets: readonly { readonly target: string; readonly met: boolean | undefined }[];
  readonly processTargets: readonly { readonly target: string; readonly met: boolean | undefined }[];
  readonly footprint: { readonly thread?: Record<string, number>; readonly process?: Record<string, number> } | undefined;
  readonly failures: readonly unknown[];
}

function assertEveryPoolMeasured(report: BenchReport, group: GroupSettings): void {
  for (const workload of group.workloads) {
    const pools = workload === 'footprint' ? ['spindle', 'spindle-process'] : group.pools;
    for (const pool of pools) {
      const metrics = Object.values(report.medians[workload]?.[pool] ?? {});
      assert.ok(metrics.length > 0 && metrics.every((value) => Number.isFinite(value) && value >= 0), `${workload} × ${pool}: ${JSON.stringify(metrics)}`);
    }
  }
}

/** Runs bench/<script>.js with --json: what it prints, and what it saved. */
async function runBench<T>(script: string, args: readonly string[]): Promise<{ report: T; saved: T }> {
  const { stdout, saved } = await runBenchScript(new URL(`../../bench/${script}.js`, import.meta.url), [...args, '--json'], {
    timeoutMs: 240_000,
    resultsFile: script === 'run' ? 'latest.json' : 'raw.json',
  });
  return { report: JSON.parse(stdout) as T, saved: saved as T };
}

// The groups run side by side (each in processes of its own): one after the other they would take longer than CI allows.
describe('the benchmarks, as the README runs them', { concurrency: true }, () => {
  it('npm run bench -- --group threads, at a tiny scale, measures every pool on every workload and judges all ten targets', async () => {
    const { report, saved } = await runBench<BenchReport>('run', ['--group', 'threads', '--rounds', '1', '--scale', '0.02']);
    assert.deepEqual(report.failures, []);
    const threads = report.settings.groups.threads;
    assert.ok(threads !== undefined && report.settings.groups.process === undefined);
    assert.deepEqual(threads.pools, ['spindle', 'piscina', 'tinypool', 'workerpool', 'poolifier']);
    assert.deepEqual(threads.workloads, ['burst', 'window', 'latency', 'cpu', 'transfer', 'mixed', 'stall', 'startup']);
    assertEveryPoolMeasured(report, threads);
    assert.ok((report.medians.latency?.raw?.p50Us ?? 0) > 0, 'the raw ping-pong floor is measured in the same run');
    assert.ok((report.medians.transfer?.raw?.roundTripMs ?? 0) > 0, 'the raw transfer floor is measured in the same run');
    assert.equal(report.targets.length, 10);
    for (const target of report.targets) assert.equal(typeof target.met, 'boolean', `${target.target} was judged`);
    assert.deepEqual(report.processTargets, []);
    assert.equal(saved.startedAt, report.startedAt, 'the report is also written to .bench-results/latest.json');
  });

  it('npm run bench -- --group process, at a tiny scale, measures every process pool on every figure, judges all fifteen targets and the footprint', async () => {
    const { report } = await runBench<BenchReport>('run', ['--group', 'process', '--rounds', '1', '--scale', '0.01']);
    assert.deepEqual(report.failures, []);
    const processGroup = report.settings.groups.process;
    assert.ok(processGroup !== undefined && report.settings.groups.threads === undefined);
    assert.deepEqual(processGroup.pools, ['spindle-process', 'tinypool-process', 'workerpool-process', 'poolifier-cluster']);
    assert.deepEqual(processGroup.workloads, ['burst', 'window', 'latency', 'cpu', 'startup', 'footprint']);
    assertEveryPoolMeasured(report, processGroup);
    assert.equal(report.processTargets.length, 15);
    for (const target of report.processTargets) assert.equal(typeof target.met, 'boolean', `${target.target} was judged`);
    assert.deepEqual(report.targets, []);
    assert.ok((report.footprint?.thread?.rssPerWorkerMiB ?? 0) > 0 && (report.footprint?.process?.rssPerWorkerMiB ?? 0) > 0, JSON.stringify(report.footprint));
    assert.ok((report.footprint?.process?.childProcesses ?? 0) >= 4, 'the process pool\'s four children were found in /proc');
  });

  it(`npm run bench:raw measures every floor${RAW_PINNED ? ', and ping-pong and transfer again pinned to one CPU' : ''}`, async () => {
    const { report, saved } = await runBench<RawResults>('raw', []);
    const { messagePingPong, pipelinedPostMessage, atomicsPingPong, polledPingPong, transferRoundTrip, pinned } = report.results;
    for (const [name, value] of Object.entries({
      ping: messagePingPong.p50Us,
      pipelined: pipelinedPostMessage.messagesPerSecond,
      atomics: atomicsPingPong.p50Us,
      polled: polledPingPong.p50Us,
      transfer: transferRoundTrip.roundTripMs,
    })) {
      assert.ok(Number.isFinite(value) && value > 0, `${name}: ${String(value)}`);
    }
    if (RAW_PINNED) {
      assert.ok(pinned !== undefined && pinned.pingPongP50Us > 0 && pinned.transferRoundTripMs > 0, JSON.stringify(pinned));
    } else assert.equal(pinned, undefined);
    assert.equal(saved.finishedAt, report.finishedAt, 'the report is also written to .bench-results/raw.json');
  });
});
