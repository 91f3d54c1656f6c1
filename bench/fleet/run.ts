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
 *   npm run bench:fleet -- [--scale 1] [--threads 2] [--fib 25] [--workloads tiny,cpu] [--json]
 *
 * The 10,000-job exactly-once run over two consumer processes is
 * `npm run bench:fleet:two-consumers` (two-consumers.ts).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { QueuePool } from 'spindle/bullmq';
import { startRedisServer } from '../../test/bullmq/redis-server.js';
import { writeResults } from '../report/results-file.js';
import type { ConsumerKind, ConsumerSettings } from './consumer.js';
import { measureBullmq, measureQueuePool, pingRoundTrips, type Job, type Measurement } from './measure.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    threads: { type: 'string', default: String(availableParallelism()) },
    fib: { type: 'string', default: '25' },
    workloads: { type: 'string', default: 'tiny,cpu' },
    json: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const threads = Number(values.threads);
const fibN = Number(values.fib);
if (!(scale > 0) || !Number.isInteger(threads) || threads < 1 || !Number.isInteger(fibN) || fibN < 1) throw new Error('Expected `--scale` > 0, and `--threads` and `--fib` integers >= 1');
const jobs = (count: number): number => Math.max(10, Math.round(count * scale));

/** The two workloads: tiny jobs are all Redis round trips; fib jobs keep a thread busy. */
const WORKLOADS = {
  tiny: { job: { name: 'square', data: 7 }, count: jobs(2_000), window: 64, oneAtATime: jobs(200), concurrency: 16 },
  cpu: { job: { name: 'fib', data: fibN }, count: jobs(400), window: 32, oneAtATime: jobs(100), concurrency: threads },
} as const satisfies Record<string, { job: Job; count: number; window: number; oneAtATime: number; concurrency: number }>;
type WorkloadName = keyof typeof WORKLOADS;
const chosenWorkloads = values.workloads.split(',').map((name) => name.trim());
for (const name of chosenWorkloads) if (!(name in WORKLOADS)) throw new Error(`Expected \`--workloads\` to list some of ${Object.keys(WORKLOADS).join(', ')}, got \`${name}\``);

const CONTENDERS = ['inline', 'sandbox', 'spindle', 'queuepool'] as const;
type Contender = (typeof CONTENDERS)[number];
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
  readonly window: Measurement;
  readonly oneAtATime: Measurement;
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
    // Every consumer of the workload starts at once (an idle one waits on Redis and costs nothing), then each is measured alone.
    const consumers = await Promise.all(CONTENDERS.map((contender) => startContender(workload, contender)));
    for (const [index, contender] of CONTENDERS.entries()) {
      const started = consumers[index];
      if (started === undefined) continue;
      rows.push(await measureContender(workload, contender, started));
      const row = rows.at(-1);
      if (row !== undefined) process.stderr.write(`  ${workload.padEnd(4)} ${LABELS[contender].padEnd(36)} ${row.window.jobsPerSecond.toFixed(0).padStart(6)} jobs/s\n`);
    }
  }
} finally {
  await redis.stop();
}

interface StartedContender {
  readonly queue: string;
  readonly consumer: { close(): Promise<void> };
}

/** The consumer process of `contender` on a queue of its own. */
async function startContender(workload: WorkloadName, contender: Contender): Promise<StartedContender> {
  const plan = WORKLOADS[workload];
  const queue = `bench-${workload}-${contender}-${String(Date.now())}`;
  const kind: ConsumerKind = contender === 'queuepool' ? 'spindle' : contender;
  return { queue, consumer: await startConsumer({ kind, redisUrl: redis.url, queue, concurrency: plan.concurrency, threads }) };
}

async function measureContender(workload: WorkloadName, contender: Contender, { queue, consumer }: StartedContender): Promise<Row> {
  const plan = WORKLOADS[workload];
  const connection = { url: redis.url, maxRetriesPerRequest: null };
  const producer = new Queue(queue, { connection });
  // A fresh queue: reading its events from the start, none can slip past before the first read.
  const events = new QueueEvents(queue, { connection, lastEventId: '0' });
  let stalled = 0;
  events.on('stalled', () => stalled++);
  await events.waitUntilReady();
  const fleet = contender === 'queuepool' ? new QueuePool<typeof import('./tasks.js')>({ queue, connection: redis.url }) : undefined;
  try {
    const measure = (count: number, window: number): Promise<Measurement> => (fleet === undefined ? measureBullmq(producer, events, plan.job, count, window) : measureQueuePool(fleet, plan.job, count, window));
    await measure(Math.min(50, plan.count), 8); // warm-up: JIT, connections, worker threads
    const windowed = await measure(plan.count, plan.window);
    const oneAtATime = await measure(plan.oneAtATime, 1);
    return { workload, contender, concurrency: plan.concurrency, window: windowed, oneAtATime, stalled };
  } finally {
    await fleet?.close();
    await Promise.all([producer.close(), events.close()]);
    await consumer.close();
  }
}

async function startConsumer(settings: ConsumerSettings): Promise<{ close(): Promise<void> }> {
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE;
  const child = fork(fileURLToPath(new URL('./consumer.js', import.meta.url)), [JSON.stringify(settings)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  await Promise.race([once(child, 'message'), exited.then(() => Promise.reject(new Error(`The ${settings.kind} consumer exited before it was ready`)))]);
  return {
    async close() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.send('close');
      await exited;
      clearTimeout(timer);
    },
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
  console.log(`\nFleet benchmark, ${startedAt.toISOString()}: one Redis on this machine, each consumer a process of its own, ${String(threads)} threads\n`);
  for (const line of lines) console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  const inlineTiny = find('tiny', 'inline');
  console.log(
    `\nThe floor for tiny jobs: a Redis round trip (PING) takes ${format(floor.p50Ms)} ms here (p50; p99 ${format(floor.p99Ms)} ms). A job crosses Redis at least four times in a row ` +
      `(add, fetch, complete, the completed event), each a Lua script, so no consumer can run a tiny job, one at a time, in less than ${format(4 * floor.p50Ms)} ms: ` +
      `BullMQ's inline processor takes ${format(inlineTiny?.oneAtATime.p50Ms ?? Number.NaN)} ms, serveQueue() ${format(tinySpindle?.oneAtATime.p50Ms ?? Number.NaN)} ms.\n`,
  );
  for (const target of targets) console.log(`${target.met ? '✔ met    ' : '✘ NOT met'}  ${target.target}: ${target.detail}`);
}
