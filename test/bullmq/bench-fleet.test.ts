import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface FleetReport {
  readonly startedAt: string;
  readonly redisRoundTrip: { readonly p50Ms: number };
  readonly settings: { readonly threads: number };
  readonly rows: readonly {
    readonly workload: string;
    readonly contender: string;
    readonly concurrency: number;
    readonly workerThreads: number;
    readonly stalled: number;
    readonly roundsJobsPerSecond: readonly number[];
    readonly window: Record<string, number>;
    readonly oneAtATime: Record<string, number>;
  }[];
  readonly spindleToSandboxPerRound: { readonly cpu: readonly number[] };
  readonly targets: readonly { readonly target: string; readonly met: unknown }[];
}

describe('npm run bench:fleet, at a tiny scale', { timeout: 150_000 }, () => {
  // The tiny-job rows run the same code with another job; the suite runs the CPU-bound ones, which both targets judge.
  it('measures the inline, sandboxed and Spindle consumers and QueuePool on CPU-bound jobs like for like (same concurrency, as many worker threads in the sandbox as in the pool), with the Redis round trip, and judges both targets', { timeout: 120_000 }, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'spindle-bench-fleet-'));
    try {
      const env = { ...process.env };
      delete env.NODE_V8_COVERAGE;
      const script = fileURLToPath(new URL('../../bench/fleet/run.js', import.meta.url));
      const { stdout } = await run(process.execPath, [script, '--scale', '0.02', '--workloads', 'cpu', '--rounds', '1', '--json'], { cwd: directory, env, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 });
      const report = JSON.parse(stdout) as FleetReport;
      assert.deepEqual(
        report.rows.map((row) => `${row.workload}/${row.contender}`),
        ['cpu/inline', 'cpu/sandbox', 'cpu/spindle', 'cpu/queuepool'],
      );
      for (const row of report.rows) {
        for (const value of [...Object.values(row.window), ...Object.values(row.oneAtATime), row.stalled]) assert.ok(Number.isFinite(value) && value >= 0, `${row.workload}/${row.contender}: ${JSON.stringify(row)}`);
        assert.equal(row.window.failed, 0);
        assert.equal(row.roundsJobsPerSecond.length, 1);
        assert.equal(row.concurrency, report.settings.threads, `${row.contender} pulls as many CPU-bound jobs at once as the pool has threads`);
        assert.ok((row.window.consumerCpuMsPerJob ?? 0) > 0, `${row.contender}: the consumer's CPU time per job is measured`);
        assert.ok((row.window.redisCommandsPerJob ?? 0) >= 4, `${row.contender}: a job costs Redis at least its add, fetch, completion and event`);
      }
      const threadsOf = (contender: string): number | undefined => report.rows.find((row) => row.contender === contender)?.workerThreads;
      assert.equal(threadsOf('inline'), 0);
      assert.equal(threadsOf('sandbox'), report.settings.threads, 'the warm-up started one sandbox worker thread per job at once');
      assert.equal(threadsOf('spindle'), report.settings.threads, 'the pool has no more threads than the sandbox');
      assert.equal(report.spindleToSandboxPerRound.cpu.length, 1);
      assert.ok(report.redisRoundTrip.p50Ms > 0);
      assert.equal(report.targets.length, 2);
      for (const target of report.targets) assert.equal(typeof target.met, 'boolean', target.target);
      const saved = JSON.parse(await readFile(join(directory, '.bench-results', 'fleet.json'), 'utf8')) as FleetReport;
      assert.equal(saved.startedAt, report.startedAt, 'the report is also written to .bench-results/fleet.json');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
