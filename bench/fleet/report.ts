/** The fleet benchmark's rows, and the table `npm run bench:fleet` prints. */
import { median } from '../report/statistics.js';
import type { Contender, ContenderMeasurement } from './contender.js';
import type { Job } from './measure.js';

export interface WorkloadPlan {
  readonly job: Job;
  /** Jobs with a window in flight, over all rounds. */
  readonly count: number;
  readonly window: number;
  /** Jobs one at a time, over all rounds. */
  readonly oneAtATime: number;
  /** BullMQ's concurrency of the BullMQ consumers (twice it for the wide sandbox). */
  readonly concurrency: number;
  /** serveQueue()'s `concurrency`, or its default. */
  readonly nodeConcurrency: number | 'default';
  readonly contenders: readonly Contender[];
}

export interface Row {
  readonly workload: 'tiny' | 'cpu';
  readonly contender: Contender;
  /** BullMQ's concurrency after the warm-up, and after the last round (serveQueue()'s default follows the jobs' length). */
  readonly concurrency: number;
  readonly concurrencyAtEnd: number;
  /** Worker threads the consumer ran jobs on after the warm-up, and after the last round. */
  readonly workerThreads: number;
  readonly workerThreadsAtEnd: number;
  /** Medians of the rounds, with a window of jobs in flight. */
  readonly window: ContenderMeasurement;
  /** Medians of the rounds, one job at a time. */
  readonly oneAtATime: ContenderMeasurement;
  /** Jobs/s of each round, with the window. */
  readonly roundsJobsPerSecond: readonly number[];
  readonly stalled: number;
}

const LABELS: Record<Contender, string> = {
  inline: 'BullMQ, inline processor',
  sandbox: 'BullMQ, sandbox (useWorkerThreads)',
  'wide-sandbox': 'BullMQ, sandbox at twice the concurrency',
  spindle: 'serveQueue() on Spindle',
  queuepool: 'QueuePool → serveQueue()',
};

export interface PrintedReport {
  readonly startedAt: Date;
  readonly threads: number;
  readonly fibN: number;
  readonly rounds: number;
  readonly perRound: (count: number) => number;
  readonly workloads: Readonly<Record<'tiny' | 'cpu', WorkloadPlan>>;
  readonly floor: { readonly p50Ms: number; readonly p99Ms: number };
  readonly rows: readonly Row[];
  readonly ratios: Readonly<Record<'tiny' | 'cpu', readonly number[]>>;
  /** serveQueue() ÷ the sandbox at twice the concurrency, CPU-bound jobs. */
  readonly wideRatios: readonly number[];
  readonly targets: readonly { readonly target: string; readonly met: boolean; readonly detail: string }[];
  readonly load: readonly [readonly number[], readonly number[]];
}

const format = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2));

export function printReport(report: PrintedReport): void {
  const { rows, workloads, fibN } = report;
  const lines = [
    ['workload', 'consumer', 'concurrency', 'threads', 'jobs/s', 'p50 ms', 'p99 ms', 'one at a time p50 / p99 ms', 'CPU ms/job', 'main thread', 'Redis cmds/job', 'stalled', 'failed'],
    ...rows.map((row) => [
      row.workload === 'tiny' ? 'tiny (n * n)' : `cpu (fib(${String(fibN)}))`,
      LABELS[row.contender],
      row.concurrencyAtEnd === row.concurrency ? String(row.concurrency) : `${String(row.concurrency)} → ${String(row.concurrencyAtEnd)}`,
      String(row.workerThreads),
      format(row.window.jobsPerSecond),
      format(row.window.p50Ms),
      format(row.window.p99Ms),
      `${format(row.oneAtATime.p50Ms)} / ${format(row.oneAtATime.p99Ms)}`,
      format(row.window.consumerCpuMsPerJob),
      row.window.consumerMainThreadCpuMsPerJob === undefined ? '-' : format(row.window.consumerMainThreadCpuMsPerJob),
      format(row.window.redisCommandsPerJob),
      String(row.stalled),
      String(row.window.failed + row.oneAtATime.failed),
    ]),
  ];
  const widths = lines[0]?.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length))) ?? [];
  const load = (values: readonly number[]): string => values.map((value) => value.toFixed(1)).join(' ');
  console.log(`\nFleet benchmark, ${report.startedAt.toISOString()}: one Redis on this machine, each consumer a process of its own, medians of ${String(report.rounds)} interleaved rounds; load average ${load(report.load[0])} before, ${load(report.load[1])} after\n`);
  for (const [name, plan] of Object.entries(workloads)) {
    if (!rows.some((row) => row.workload === name)) continue;
    const nodeConcurrency = plan.nodeConcurrency === 'default' ? "serveQueue() at its default (the pool's threads, twice that while jobs are short)" : `serveQueue() at ${String(plan.nodeConcurrency)}`;
    console.log(
      `  ${name}: BullMQ's consumers at concurrency ${String(plan.concurrency)}${plan.contenders.includes('wide-sandbox') ? ` (the wide sandbox at ${String(2 * plan.concurrency)})` : ''}, ${nodeConcurrency}; ` +
        `a round is ${String(report.perRound(plan.count))} jobs with ${String(plan.window)} in flight, then ${String(report.perRound(plan.oneAtATime))} one at a time; ` +
        `Spindle's pool has ${String(report.threads)} threads, BullMQ's sandbox one worker thread per job it runs at once (threads column: counted after the warm-up)`,
    );
  }
  console.log('  CPU ms/job: the consumer process, all its threads (main thread: its event loop alone, where Linux tells it); Redis cmds/job: every command Redis ran (those inside scripts included), producer and consumer together\n');
  for (const line of lines) console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  for (const [name, ratios] of Object.entries(report.ratios)) {
    if (ratios.length === 0) continue;
    console.log(`\n${name}: serveQueue() ÷ sandbox, jobs/s, round by round: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
  }
  if (report.wideRatios.length > 0) {
    console.log(`cpu: serveQueue() ÷ the sandbox at twice the concurrency (twice the threads), jobs/s, round by round: ${report.wideRatios.map((ratio) => ratio.toFixed(2)).join(', ')} (median ${median(report.wideRatios).toFixed(2)}, range ${Math.min(...report.wideRatios).toFixed(2)}–${Math.max(...report.wideRatios).toFixed(2)})`);
  }
  const find = (contender: Contender): Row | undefined => rows.find((row) => row.workload === 'tiny' && row.contender === contender);
  const floor = report.floor;
  const inline = find('inline');
  const spindle = find('spindle');
  // Without the tiny-job rows (--workloads cpu) there is no tiny job run one at a time to set against the floor.
  if (inline !== undefined && spindle !== undefined) {
    console.log(
      `\nThe floor for tiny jobs: a Redis round trip (PING) takes ${format(floor.p50Ms)} ms here (p50; p99 ${format(floor.p99Ms)} ms). A job crosses Redis at least four times in a row ` +
        `(add, fetch, complete, the completed event), each a Lua script, so no consumer can run a tiny job, one at a time, in less than ${format(4 * floor.p50Ms)} ms: ` +
        `BullMQ's inline processor takes ${format(inline.oneAtATime.p50Ms)} ms, serveQueue() ${format(spindle.oneAtATime.p50Ms)} ms.\n`,
    );
  } else {
    console.log('');
  }
  for (const target of report.targets) console.log(`${target.met ? '✔ met    ' : '✘ NOT met'}  ${target.target}: ${target.detail}`);
}
