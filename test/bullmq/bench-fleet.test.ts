import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBenchScript } from '../bench-script.js';

interface FleetReport {
  readonly startedAt: string;
  readonly redisRoundTrip: { readonly p50Ms: number };
  readonly settings: { readonly threads: number; readonly warmUp: { readonly cpu: { readonly jobs: number } } };
  readonly rows: readonly {
    readonly workload: string;
    readonly contender: string;
    readonly concurrency: number;
    readonly concurrencyAtEnd: number;
    readonly workerThreads: number;
    readonly stalled: number;
    readonly roundsJobsPerSecond: readonly number[];
    readonly window: Record<string, number>;
    readonly oneAtATime: Record<string, number>;
  }[];
  readonly spindleToSandboxPerRound: { readonly cpu: readonly number[] };
  readonly spindleToWideSandboxPerRound: { readonly cpu: readonly number[] };
  readonly targets: readonly { readonly target: string; readonly met: unknown }[];
}

describe('npm run bench:fleet, at a tiny scale', { timeout: 150_000 }, () => {
  // The tiny-job rows run the same code with another job; the suite runs the CPU-bound ones, which both targets judge.
  it("measures the inline, sandboxed and Spindle consumers and QueuePool on CPU-bound jobs (BullMQ's at a concurrency of --threads, a second sandbox at twice that, serveQueue() at its default on as many threads as the first sandbox), with the Redis round trip, and judges both targets", { timeout: 120_000 }, async () => {
    const run = await runBenchScript(new URL('../../bench/fleet/run.js', import.meta.url), ['--scale', '0.02', '--workloads', 'cpu', '--rounds', '1', '--warm-up', '20', '--json'], {
      timeoutMs: 110_000,
      resultsFile: 'fleet.json',
    });
    const report = JSON.parse(run.stdout) as FleetReport;
    assert.deepEqual(
      report.rows.map((row) => `${row.workload}/${row.contender}`),
      ['cpu/inline', 'cpu/sandbox', 'cpu/wide-sandbox', 'cpu/spindle', 'cpu/queuepool'],
    );
    for (const row of report.rows) {
      for (const value of [...Object.values(row.window), ...Object.values(row.oneAtATime), row.stalled]) assert.ok(Number.isFinite(value) && value >= 0, `${row.workload}/${row.contender}: ${JSON.stringify(row)}`);
      assert.equal(row.window.failed, 0);
      assert.equal(row.roundsJobsPerSecond.length, 1);
      const threads = report.settings.threads;
      if (row.contender === 'spindle' || row.contender === 'queuepool') {
        for (const concurrency of [row.concurrency, row.concurrencyAtEnd]) assert.ok(concurrency === threads || concurrency === 2 * threads, `${row.contender}: serveQueue()'s default, the pool's threads or twice that (${String(concurrency)})`);
      } else {
        assert.equal(row.concurrency, row.contender === 'wide-sandbox' ? 2 * threads : threads, `${row.contender} pulls as many CPU-bound jobs at once as the pool has threads (the wide sandbox twice that)`);
        assert.equal(row.concurrencyAtEnd, row.concurrency);
      }
      assert.ok((row.window.consumerCpuMsPerJob ?? 0) > 0, `${row.contender}: the consumer's CPU time per job is measured`);
      if (process.platform === 'linux') {
        const mainThread = row.window.consumerMainThreadCpuMsPerJob ?? 0;
        assert.ok(mainThread > 0 && mainThread <= (row.window.consumerCpuMsPerJob ?? 0) + 0.1, `${row.contender}: its main thread's share of it too, on Linux`);
      }
      assert.ok((row.window.redisCommandsPerJob ?? 0) >= 4, `${row.contender}: a job costs Redis at least its add, fetch, completion and event`);
    }
    const threadsOf = (contender: string): number | undefined => report.rows.find((row) => row.contender === contender)?.workerThreads;
    assert.equal(threadsOf('inline'), 0);
    assert.equal(threadsOf('sandbox'), report.settings.threads, 'the warm-up started one sandbox worker thread per job at once');
    assert.equal(threadsOf('wide-sandbox'), 2 * report.settings.threads, 'the wide sandbox, twice as many');
    assert.equal(threadsOf('spindle'), report.settings.threads, 'the pool has no more threads than the sandbox');
    assert.equal(report.settings.warmUp.cpu.jobs, Math.max(20, 4 * report.settings.threads), '--warm-up sets the jobs of the warm-up (at least 4 per job at once)');
    assert.equal(report.spindleToSandboxPerRound.cpu.length, 1);
    assert.equal(report.spindleToWideSandboxPerRound.cpu.length, 1);
    assert.ok(report.redisRoundTrip.p50Ms > 0);
    assert.equal(report.targets.length, 2);
    for (const target of report.targets) assert.equal(typeof target.met, 'boolean', target.target);
    const saved = run.saved as FleetReport;
    assert.equal(saved.startedAt, report.startedAt, 'the report is also written to .bench-results/fleet.json');
  });
});
