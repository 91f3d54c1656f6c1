/**
 * `npm run bench:fleet`: BullMQ consumers side by side on one Redis, on this
 * machine, in one run: BullMQ with an inline processor, BullMQ's sandboxed
 * processors in worker threads (`useWorkerThreads`), and `serveQueue()` on a
 * Spindle pool; then Spindle end to end (QueuePool → serveQueue). Each
 * consumer is a process of its own; the producer (this process) is the same
 * plain BullMQ Queue for the first three. For tiny jobs and for CPU-bound
 * jobs (fib(25)): jobs/s and p50/p99 latency with a window of jobs in
 * flight, the latency one job at a time, and the stalled jobs. The Redis
 * round trip (PING) is measured too: it is the floor under a tiny job.
 *
 *   npm run bench:fleet -- [--scale 1] [--threads 2] [--fib 25] [--workloads tiny,cpu] [--rounds 3] [--json]
 *
 * The contenders of a workload run side by side, each measured in `rounds`
 * interleaved rounds (in a rotating order); a row gives the medians of its
 * rounds, so that a burst of load on a shared machine does not decide a
 * comparison alone.
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
import { CONTENDERS, openContender, type Contender, type OpenContender } from './contender.js';
import { pingRoundTrips, type Job, type Measurement } from './measure.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    threads: { type: 'string', default: String(availableParallelism()) },
    fib: { type: 'string', default: '25' },
    workloads: { type: 'string', default: 'tiny,cpu' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const threads = Number(values.threads);
const fibN = Number(values.fib);
const rounds = Number(values.rounds);
if (!(scale > 0) || ![threads, fibN, rounds].every((value) => Number.isInteger(value) && value >= 1)) throw new Error('Expected `--scale` > 0, and `--threads`, `--fib` and `--rounds` integers >= 1');
const jobs = (count: number): number => Math.max(10, Math.round(count * scale));

/** The two workloads: tiny jobs are all Redis round trips; fib jobs keep a thread busy. */
const WORKLOADS = {
  tiny: { job: { name: 'square', data: 7 }, count: jobs(2_000), window: 64, oneAtATime: jobs(200), concurrency: 16 },
  cpu: { job: { name: 'fib', data: fibN }, count: jobs(400), window: 32, oneAtATime: jobs(100), concurrency: threads },
} as const satisfies Record<string, { job: Job; count: number; window: number; oneAtATime: number; concurrency: number }>;
type WorkloadName = keyof typeof WORKLOADS;
const chosenWorkloads = values.workloads.split(',').map((name) => name.trim());
for (const name of chosenWorkloads) if (!(name in WORKLOADS)) throw new Error(`Expected \`--workloads\` to list some of ${Object.keys(WORKLOADS).join(', ')}, got \`${name}\``);

const LABELS: Record<Contender, string> = {
  inline: 'BullMQ, inline processor',
  sandbox: 'BullMQ, sandbox (useWorkerThreads)',
  spindle: 'serveQueue() on Spindle',
  queuepool: 'QueuePool → serveQueue()',
};

interface Row {
  readonly workload: WorkloadName;
  readonly contender: Contender;
  readonly concurrency: number;
  /** Medians of the rounds, with a window of jobs in flight. */
  readonly window: Measurement;
  /** Medians of the rounds, one job at a time. */
  readonly oneAtATime: Measurement;
  /** Jobs/s of each round, with the window. */
  readonly roundsJobsPerSecond: readonly number[];
  readonly stalled: number;
}

const redis = await startRedisServer();
const startedAt = new Date();
const rows: Row[] = [];
let floor: { p50Ms: number; p99Ms: number };
try {
  const client = new Redis(redis.url);
  floor = await pingRoundTrips(() => client.ping(), jobs(2_000));
  client.disconnect();
  process.stderr.write(`Fleet benchmark on ${redis.url}: ${String(threads)} threads, fib(${String(fibN)}), scale ${String(scale)}, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}; Redis PING p50 ${floor.p50Ms.toFixed(3)} ms\n`);
  for (const workload of (Object.keys(WORKLOADS) as WorkloadName[]).filter((name) => chosenWorkloads.includes(name))) {
    rows.push(...(await measureWorkload(workload)));
    for (const row of rows.filter((each) => each.workload === workload)) {
      process.stderr.write(`  ${workload.padEnd(4)} ${LABELS[row.contender].padEnd(36)} ${row.window.jobsPerSecond.toFixed(0).padStart(6)} jobs/s (rounds: ${row.roundsJobsPerSecond.map((value) => value.toFixed(0)).join(', ')})\n`);
    }
  }
} finally {
  await redis.stop();
}

/** Every contender of `workload` at once (an idle one waits on Redis and costs nothing), measured in interleaved rounds. */
async function measureWorkload(workload: WorkloadName): Promise<Row[]> {
  const plan = WORKLOADS[workload];
  const open = new Map<Contender, OpenContender>();
  try {
    await Promise.all(
      CONTENDERS.map(async (contender) => {
        const queue = `bench-${workload}-${contender}-${String(Date.now())}`;
        open.set(contender, await openContender(contender, { redisUrl: redis.url, queue, job: plan.job, concurrency: plan.concurrency, threads }));
      }),
    );
    const measured = new Map<Contender, { window: Measurement[]; oneAtATime: Measurement[] }>(CONTENDERS.map((contender) => [contender, { window: [], oneAtATime: [] }]));
    for (const contender of CONTENDERS) await open.get(contender)?.measure(Math.min(50, plan.count), 8); // warm-up: JIT, connections, worker threads
    const perRound = (count: number): number => Math.max(5, Math.round(count / rounds));
    for (let round = 0; round < rounds; round++) {
      const order = CONTENDERS.map((_, index) => CONTENDERS[(index + round) % CONTENDERS.length] ?? 'inline');
      for (const contender of order) {
        const session = open.get(contender);
        const results = measured.get(contender);
        if (session === undefined || results === undefined) continue;
        results.window.push(await session.measure(perRound(plan.count), plan.window));
        results.oneAtATime.push(await session.measure(perRound(plan.oneAtATime), 1));
      }
    }
    return CONTENDERS.map((contender) => {
      const results = measured.get(contender) ?? { window: [], oneAtATime: [] };
      return {
        workload,
        contender,
        concurrency: plan.concurrency,
        window: medianOf(results.window),
        oneAtATime: medianOf(results.oneAtATime),
        roundsJobsPerSecond: results.window.map((measurement) => measurement.jobsPerSecond),
        stalled: open.get(contender)?.stalled() ?? 0,
      };
    });
  } finally {
    await Promise.all([...open.values()].map((session) => session.close()));
  }
}

/** The median of each figure over the rounds; jobs and failures added up. */
function medianOf(measurements: readonly Measurement[]): Measurement {
  return {
    jobs: measurements.reduce((sum, measurement) => sum + measurement.jobs, 0),
    jobsPerSecond: median(measurements.map((measurement) => measurement.jobsPerSecond)),
    p50Ms: median(measurements.map((measurement) => measurement.p50Ms)),
    p99Ms: median(measurements.map((measurement) => measurement.p99Ms)),
    failed: measurements.reduce((sum, measurement) => sum + measurement.failed, 0),
  };
}

const find = (workload: WorkloadName, contender: Contender): Row | undefined => rows.find((row) => row.workload === workload && row.contender === contender);
const cpuSpindle = find('cpu', 'spindle');
const cpuSandbox = find('cpu', 'sandbox');
const tinySpindle = find('tiny', 'spindle');
const targets = [
  {
    target: 'CPU-bound jobs: serveQueue() on Spindle at least as fast as BullMQ’s worker-thread sandbox (jobs/s)',
    met: cpuSpindle !== undefined && cpuSandbox !== undefined && cpuSpindle.window.jobsPerSecond >= cpuSandbox.window.jobsPerSecond,
    detail: `${cpuSpindle?.window.jobsPerSecond.toFixed(0) ?? '?'} against ${cpuSandbox?.window.jobsPerSecond.toFixed(0) ?? '?'} jobs/s`,
  },
  {
    target: 'Zero stalled jobs on Spindle',
    met: rows.filter((row) => row.contender === 'spindle' || row.contender === 'queuepool').every((row) => row.stalled === 0),
    detail: rows.map((row) => `${row.workload}/${row.contender} ${String(row.stalled)}`).join(', '),
  },
];
const report = {
  startedAt: startedAt.toISOString(),
  settings: { threads, fib: fibN, scale, workloads: WORKLOADS, loadAverage: loadavg() },
  redisRoundTrip: floor,
  rows,
  targets,
};
await writeResults('fleet.json', report);

if (values.json) {
  console.log(JSON.stringify(report));
} else {
  const format = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2));
  const lines = [
    ['workload', 'consumer', 'concurrency', 'jobs/s', 'p50 ms', 'p99 ms', 'one at a time p50 / p99 ms', 'stalled', 'failed'],
    ...rows.map((row) => [
      row.workload === 'tiny' ? 'tiny (n * n)' : `cpu (fib(${String(fibN)}))`,
      LABELS[row.contender],
      String(row.concurrency),
      format(row.window.jobsPerSecond),
      format(row.window.p50Ms),
      format(row.window.p99Ms),
      `${format(row.oneAtATime.p50Ms)} / ${format(row.oneAtATime.p99Ms)}`,
      String(row.stalled),
      String(row.window.failed + row.oneAtATime.failed),
    ]),
  ];
  const widths = lines[0]?.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length))) ?? [];
  console.log(`\nFleet benchmark, ${startedAt.toISOString()}: one Redis on this machine, each consumer a process of its own, ${String(threads)} threads, medians of ${String(rounds)} interleaved rounds\n`);
  for (const line of lines) console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  const inlineTiny = find('tiny', 'inline');
  console.log(
    `\nThe floor for tiny jobs: a Redis round trip (PING) takes ${format(floor.p50Ms)} ms here (p50; p99 ${format(floor.p99Ms)} ms). A job crosses Redis at least four times in a row ` +
      `(add, fetch, complete, the completed event), each a Lua script, so no consumer can run a tiny job, one at a time, in less than ${format(4 * floor.p50Ms)} ms: ` +
      `BullMQ's inline processor takes ${format(inlineTiny?.oneAtATime.p50Ms ?? Number.NaN)} ms, serveQueue() ${format(tinySpindle?.oneAtATime.p50Ms ?? Number.NaN)} ms.\n`,
  );
  for (const target of targets) console.log(`${target.met ? '✔ met    ' : '✘ NOT met'}  ${target.target}: ${target.detail}`);
}
