/**
 * `npm run bench:fleet`: BullMQ consumers side by side on one Redis, on this
 * machine, in one run: BullMQ with an inline processor, BullMQ's sandboxed
 * processors in worker threads (`useWorkerThreads`), and `serveQueue()` on a
 * Spindle pool; then Spindle end to end (QueuePool → serveQueue). Each
 * consumer is a process of its own; the producer (this process) is the same
 * plain BullMQ Queue for the first three. For tiny jobs and for CPU-bound
 * jobs (fib(25)): jobs/s and p50/p99 latency with a window of jobs in
 * flight, the latency one job at a time, the consumer's CPU time and Redis's
 * commands per job, and the stalled jobs. The Redis round trip (PING) is
 * measured too: it is the floor under a tiny job.
 *
 *   npm run bench:fleet -- [--scale 1] [--threads 2] [--fib 25] [--workloads tiny,cpu] [--rounds 8] [--warm-up 50] [--json]
 *
 * Like for like: every contender of a workload gets the same jobs and is
 * warmed up the same way (at least 50 jobs, not measured: worker threads
 * started, connections open, code compiled). For tiny jobs every consumer
 * pulls at a BullMQ concurrency of 16. For CPU-bound jobs BullMQ's
 * consumers pull `--threads` jobs at once, so the sandbox runs as many
 * worker threads as the Spindle pool has; serveQueue() runs at its default
 * concurrency (the pool's threads, and one job held ahead per thread while
 * jobs are short); and a second sandbox pulls twice `--threads` at once (as
 * many jobs as serveQueue() then holds, on twice the threads). The contenders of a
 * workload are measured in `rounds` interleaved rounds (in a rotating
 * order); a row gives the medians of its rounds, and each round's
 * serveQueue()/sandbox ratio is reported, so that a burst of load on a
 * shared machine does not decide a comparison alone.
 *
 * The 10,000-job exactly-once run over two consumer processes is
 * `npm run bench:fleet:two-consumers` (two-consumers.ts).
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startRedisServer } from '../../test/bullmq/redis-server.js';
import { median } from '../report/statistics.js';
import { writeResults } from '../report/results-file.js';
import { CONTENDERS, openContender, type Contender, type ContenderMeasurement, type OpenContender } from './contender.js';
import { pingRoundTrips } from './measure.js';
import { printReport, type Row, type WorkloadPlan } from './report.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    threads: { type: 'string', default: String(availableParallelism()) },
    fib: { type: 'string', default: '25' },
    workloads: { type: 'string', default: 'tiny,cpu' },
    rounds: { type: 'string', default: '8' },
    'warm-up': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const threads = Number(values.threads);
const fibN = Number(values.fib);
const rounds = Number(values.rounds);
const warmUpJobs = values['warm-up'] === undefined ? undefined : Number(values['warm-up']);
if (!(scale > 0) || ![threads, fibN, rounds].every((value) => Number.isInteger(value) && value >= 1)) throw new Error('Expected `--scale` > 0, and `--threads`, `--fib` and `--rounds` integers >= 1');
if (warmUpJobs !== undefined && !(Number.isInteger(warmUpJobs) && warmUpJobs >= 1)) throw new Error(`Expected \`--warm-up\` to be an integer >= 1, got \`${String(values['warm-up'])}\``);
const jobs = (count: number): number => Math.max(10, Math.round(count * scale));
/**
 * Jobs each contender runs before the rounds, not measured: enough, and enough at once, for the sandbox to start a thread per concurrent job
 * (`--warm-up` sets how many: V8 optimizes a function only after some thousands of calls, so the default measures the consumers' code mostly unoptimized).
 */
const warmUpOf = (plan: WorkloadPlan): { readonly jobs: number; readonly window: number } => ({
  jobs: Math.max(warmUpJobs ?? 50, 4 * plan.concurrency),
  window: Math.max(8, 2 * plan.concurrency),
});

/** The two workloads: tiny jobs are all Redis round trips; fib jobs keep a thread busy. */
const WORKLOADS = {
  tiny: { job: { name: 'square', data: 7 }, count: jobs(2_000), window: 64, oneAtATime: jobs(200), concurrency: 16, nodeConcurrency: 16, contenders: ['inline', 'sandbox', 'spindle', 'queuepool'] },
  cpu: { job: { name: 'fib', data: fibN }, count: jobs(480), window: 32, oneAtATime: jobs(120), concurrency: threads, nodeConcurrency: 'default', contenders: CONTENDERS },
} as const satisfies Record<string, WorkloadPlan>;
type WorkloadName = keyof typeof WORKLOADS;
const chosenWorkloads = values.workloads.split(',').map((name) => name.trim());
for (const name of chosenWorkloads) if (!(name in WORKLOADS)) throw new Error(`Expected \`--workloads\` to list some of ${Object.keys(WORKLOADS).join(', ')}, got \`${name}\``);
const perRound = (count: number): number => Math.max(5, Math.round(count / rounds));

const redis = await startRedisServer();
const startedAt = new Date();
const loadBefore = loadavg();
const rows: Row[] = [];
let floor: { p50Ms: number; p99Ms: number };
const admin = new Redis(redis.url);
try {
  floor = await pingRoundTrips(() => admin.ping(), jobs(2_000));
  process.stderr.write(`Fleet benchmark on ${redis.url}: ${String(threads)} threads, fib(${String(fibN)}), scale ${String(scale)}, ${String(rounds)} rounds, load average ${loadBefore.map((load) => load.toFixed(1)).join(' ')}; Redis PING p50 ${floor.p50Ms.toFixed(3)} ms\n`);
  for (const workload of (Object.keys(WORKLOADS) as WorkloadName[]).filter((name) => chosenWorkloads.includes(name))) {
    const measured = await measureWorkload(workload);
    rows.push(...measured);
    for (const row of measured) {
      process.stderr.write(`  ${workload.padEnd(4)} ${row.contender.padEnd(9)} ${row.window.jobsPerSecond.toFixed(0).padStart(6)} jobs/s (rounds: ${row.roundsJobsPerSecond.map((value) => value.toFixed(0)).join(', ')})\n`);
    }
  }
} finally {
  admin.disconnect();
  await redis.stop();
}

/** Commands Redis has processed, less the INFO that asks. */
async function redisCommands(): Promise<number> {
  const match = /total_commands_processed:(\d+)/.exec(await admin.info('stats'));
  return Number(match?.[1] ?? Number.NaN) - 1;
}

/** Every contender of `workload` at once (an idle one waits on Redis and costs next to nothing), measured in interleaved rounds. */
async function measureWorkload(workload: WorkloadName): Promise<Row[]> {
  const plan: WorkloadPlan = WORKLOADS[workload];
  const contenders = plan.contenders;
  const open = new Map<Contender, OpenContender>();
  try {
    await Promise.all(
      contenders.map(async (contender) => {
        const queue = `bench-${workload}-${contender}-${String(Date.now())}`;
        open.set(contender, await openContender(contender, { redisUrl: redis.url, queue, job: plan.job, concurrency: plan.concurrency, nodeConcurrency: plan.nodeConcurrency, threads, redisCommands }));
      }),
    );
    const measured = new Map<Contender, { window: ContenderMeasurement[]; oneAtATime: ContenderMeasurement[] }>(contenders.map((contender) => [contender, { window: [], oneAtATime: [] }]));
    // Warm-up, not measured: BullMQ's sandbox starts its worker threads here (and keeps them), Spindle's pool started them before it was ready.
    const warmUp = warmUpOf(plan);
    for (const contender of contenders) await open.get(contender)?.measure(warmUp.jobs, warmUp.window);
    const workerThreads = new Map<Contender, number>();
    const concurrency = new Map<Contender, number>();
    for (const contender of contenders) {
      workerThreads.set(contender, (await open.get(contender)?.workerThreads()) ?? 0);
      concurrency.set(contender, (await open.get(contender)?.concurrency()) ?? 0);
    }
    for (let round = 0; round < rounds; round++) {
      const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] ?? 'inline');
      for (const contender of order) {
        const session = open.get(contender);
        const results = measured.get(contender);
        if (session === undefined || results === undefined) continue;
        results.window.push(await session.measure(perRound(plan.count), plan.window));
        results.oneAtATime.push(await session.measure(perRound(plan.oneAtATime), 1));
      }
    }
    const rowsOfWorkload: Row[] = [];
    for (const contender of contenders) {
      const results = measured.get(contender) ?? { window: [], oneAtATime: [] };
      rowsOfWorkload.push({
        workload,
        contender,
        concurrency: concurrency.get(contender) ?? 0,
        concurrencyAtEnd: (await open.get(contender)?.concurrency()) ?? 0,
        workerThreads: workerThreads.get(contender) ?? 0,
        workerThreadsAtEnd: (await open.get(contender)?.workerThreads()) ?? 0,
        window: medianOf(results.window),
        oneAtATime: medianOf(results.oneAtATime),
        roundsJobsPerSecond: results.window.map((measurement) => measurement.jobsPerSecond),
        stalled: open.get(contender)?.stalled() ?? 0,
      });
    }
    return rowsOfWorkload;
  } finally {
    await Promise.all([...open.values()].map((session) => session.close()));
  }
}

/** The median of each figure over the rounds; jobs and failures added up. */
function medianOf(measurements: readonly ContenderMeasurement[]): ContenderMeasurement {
  const medianOfField = (field: 'jobsPerSecond' | 'p50Ms' | 'p99Ms' | 'consumerCpuMsPerJob' | 'redisCommandsPerJob'): number => median(measurements.map((measurement) => measurement[field]));
  const mainThread = measurements.flatMap((measurement) => (measurement.consumerMainThreadCpuMsPerJob === undefined ? [] : [measurement.consumerMainThreadCpuMsPerJob]));
  return {
    ...(mainThread.length === measurements.length && mainThread.length > 0 ? { consumerMainThreadCpuMsPerJob: median(mainThread) } : {}),
    jobs: measurements.reduce((sum, measurement) => sum + measurement.jobs, 0),
    jobsPerSecond: medianOfField('jobsPerSecond'),
    p50Ms: medianOfField('p50Ms'),
    p99Ms: medianOfField('p99Ms'),
    consumerCpuMsPerJob: medianOfField('consumerCpuMsPerJob'),
    redisCommandsPerJob: medianOfField('redisCommandsPerJob'),
    failed: measurements.reduce((sum, measurement) => sum + measurement.failed, 0),
  };
}

const find = (workload: WorkloadName, contender: Contender): Row | undefined => rows.find((row) => row.workload === workload && row.contender === contender);
/** serveQueue() ÷ a sandbox, jobs/s, round by round (both measured in the same round). */
const ratios = (workload: WorkloadName, sandboxKind: 'sandbox' | 'wide-sandbox' = 'sandbox'): number[] => {
  const spindle = find(workload, 'spindle')?.roundsJobsPerSecond ?? [];
  const sandbox = find(workload, sandboxKind)?.roundsJobsPerSecond ?? [];
  return spindle.map((value, round) => value / (sandbox[round] ?? Number.NaN)).filter((ratio) => Number.isFinite(ratio));
};
const cpuSpindle = find('cpu', 'spindle');
const cpuSandbox = find('cpu', 'sandbox');
const cpuRatios = ratios('cpu');
const cpuWideRatios = ratios('cpu', 'wide-sandbox');
const targets = [
  {
    target: 'CPU-bound jobs: serveQueue() on Spindle at least as fast as BullMQ’s worker-thread sandbox (jobs/s, medians of the rounds)',
    met: cpuSpindle !== undefined && cpuSandbox !== undefined && cpuSpindle.window.jobsPerSecond >= cpuSandbox.window.jobsPerSecond,
    detail:
      `${cpuSpindle?.window.jobsPerSecond.toFixed(0) ?? '?'} against ${cpuSandbox?.window.jobsPerSecond.toFixed(0) ?? '?'} jobs/s, ` +
      `${String(cpuSpindle?.workerThreads ?? '?')} worker threads against ${String(cpuSandbox?.workerThreads ?? '?')}; ` +
      `ratio per round ${cpuRatios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(cpuRatios).toFixed(2)})`,
  },
  {
    target: 'Zero stalled jobs on Spindle',
    met: rows.filter((row) => row.contender === 'spindle' || row.contender === 'queuepool').every((row) => row.stalled === 0),
    detail: rows.map((row) => `${row.workload}/${row.contender} ${String(row.stalled)}`).join(', '),
  },
];
const report = {
  startedAt: startedAt.toISOString(),
  settings: { threads, fib: fibN, scale, rounds, warmUp: { tiny: warmUpOf(WORKLOADS.tiny), cpu: warmUpOf(WORKLOADS.cpu) }, workloads: WORKLOADS, loadAverage: loadBefore, loadAverageAfter: loadavg() },
  redisRoundTrip: floor,
  rows,
  spindleToSandboxPerRound: { tiny: ratios('tiny'), cpu: cpuRatios },
  spindleToWideSandboxPerRound: { cpu: cpuWideRatios },
  targets,
};
await writeResults('fleet.json', report);

if (values.json) console.log(JSON.stringify(report));
else printReport({ startedAt, threads, fibN, rounds, perRound, workloads: WORKLOADS, floor, rows, ratios: { tiny: ratios('tiny'), cpu: cpuRatios }, wideRatios: cpuWideRatios, targets, load: [loadBefore, loadavg()] });
