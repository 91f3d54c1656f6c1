/**
 * Many jobs over two consumer processes on one Redis, counted on both sides:
 * the producer checks every result, each consumer reports every job it
 * started and completed. Used at full scale by `npm run bench:fleet:two-consumers`
 * (10,000 jobs) and at a small one by test/bullmq/two-consumers.test.ts.
 */
import { QueuePool, type QueuePoolStats } from 'spindle/bullmq';
import { startConsumer, type ConsumerProcess } from '../../test/bullmq/consumer-process.js';
import type { ConsumerReport } from '../../test/fixtures/bullmq/consumer.js';

export interface ExactlyOnceSettings {
  readonly redisUrl: string;
  readonly queue: string;
  readonly jobs: number;
  /** Jobs the producer keeps in flight (QueuePool.map's concurrency). @default 500 */
  readonly window?: number;
  /** Jobs each consumer runs at once. @default 16 */
  readonly concurrency?: number;
  /** Worker threads of each consumer's pool. @default 1 */
  readonly threads?: number;
}

export interface ExactlyOnceRun {
  readonly jobs: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
  /** Indexes whose result was not index². */
  readonly wrongResults: readonly number[];
  readonly resultCount: number;
  readonly reports: readonly ConsumerReport[];
  readonly counts: Record<string, number>;
  readonly stats: QueuePoolStats;
  /** Exit codes of the two consumers after SIGTERM. */
  readonly exitCodes: readonly (number | null)[];
}

/** Runs `jobs` square jobs through a QueuePool on two consumer processes, then closes everything it opened. */
export async function runOverTwoConsumers(settings: ExactlyOnceSettings): Promise<ExactlyOnceRun> {
  const { redisUrl, queue, jobs, window = 500, concurrency = 16, threads = 1 } = settings;
  const consumers: ConsumerProcess[] = [];
  let fleet: QueuePool<typeof import('../../test/fixtures/bullmq/tasks.js')> | undefined;
  try {
    consumers.push(...(await Promise.all([1, 2].map(() => startConsumer({ redisUrl, queue, mode: 'spindle', threads, concurrency })))));
    fleet = new QueuePool({ queue, connection: redisUrl });
    await fleet.ready;
    const startedAt = performance.now();
    const wrongResults: number[] = [];
    let index = 0;
    for await (const result of fleet.map(Array.from({ length: jobs }, (_, item) => item), 'square', { concurrency: window })) {
      if (result !== index * index) wrongResults.push(index);
      index++;
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const reports = await Promise.all(consumers.map((consumer) => consumer.report()));
    const counts = await fleet.queue.getJobCounts('completed', 'failed', 'active', 'wait', 'prioritized', 'delayed');
    const stats = fleet.stats();
    await fleet.close();
    fleet = undefined;
    const exitCodes = await Promise.all(consumers.map((consumer) => consumer.terminate(10_000)));
    return { jobs, seconds, jobsPerSecond: jobs / seconds, wrongResults, resultCount: index, reports, counts, stats, exitCodes };
  } finally {
    await fleet?.close({ timeout: 1_000 });
    await Promise.all(consumers.map((consumer) => consumer.kill()));
  }
}

/** What the run broke of "every result correct, every job started and completed exactly once, by both consumers": empty when nothing. */
export function exactlyOnceProblems(run: ExactlyOnceRun): string[] {
  const problems: string[] = [];
  const { jobs, reports } = run;
  if (run.resultCount !== jobs) problems.push(`${run.resultCount} results for ${jobs} jobs`);
  if (run.wrongResults.length > 0) problems.push(`${run.wrongResults.length} wrong results, the first at index ${String(run.wrongResults[0])}`);
  const started = reports.flatMap((report) => report.active);
  const completed = reports.flatMap((report) => report.completed);
  if (started.length !== jobs || new Set(started).size !== jobs) problems.push(`${started.length} starts of ${new Set(started).size} distinct jobs: expected each of ${jobs} started once`);
  if (completed.length !== jobs || new Set(completed).size !== jobs) problems.push(`${completed.length} completions of ${new Set(completed).size} distinct jobs: expected each of ${jobs} completed once`);
  const startedSet = new Set(started);
  if (completed.some((jobId) => !startedSet.has(jobId))) problems.push('a job completed that was never seen starting');
  const failedOrStalled = reports.flatMap((report) => [...report.failed, ...report.stalled]);
  if (failedOrStalled.length > 0) problems.push(`failed or stalled jobs: ${failedOrStalled.slice(0, 5).join(', ')}`);
  for (const report of reports) if (report.completed.length <= jobs / 10) problems.push(`consumer ${report.pid} completed only ${report.completed.length} jobs: not its share`);
  const expectedCounts = { completed: jobs, failed: 0, active: 0, wait: 0, prioritized: 0, delayed: 0 };
  if (JSON.stringify(run.counts) !== JSON.stringify(expectedCounts)) problems.push(`the queue's counts ${JSON.stringify(run.counts)}, expected ${JSON.stringify(expectedCounts)}`);
  const { stats } = run;
  if (stats.submitted !== jobs || stats.completed !== jobs || stats.failed !== 0 || stats.aborted !== 0 || stats.inFlight !== 0) problems.push(`the QueuePool's stats ${JSON.stringify(stats)}`);
  if (run.exitCodes.some((code) => code !== 0)) problems.push(`the consumers exited ${run.exitCodes.join(' and ')} on SIGTERM, expected 0 (a graceful close)`);
  return problems;
}
