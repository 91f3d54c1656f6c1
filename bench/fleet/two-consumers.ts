/**
 * `npm run bench:fleet:two-consumers`: 10,000 jobs over two consumer
 * processes on one Redis (started here on a free loopback port), with every
 * result checked and every job counted as started and completed exactly once
 * by the consumers. Prints the figures; exits 1 when a check fails.
 *
 *   npm run bench:fleet:two-consumers -- [--jobs 10000] [--window 500] [--concurrency 16] [--threads 1]
 */
import { parseArgs } from 'node:util';
import { startRedisServer } from '../../test/bullmq/redis-server.js';
import { exactlyOnceProblems, runOverTwoConsumers } from './exactly-once.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10000' },
    window: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    threads: { type: 'string', default: '1' },
  },
});
const [jobs, window, concurrency, threads] = [values.jobs, values.window, values.concurrency, values.threads].map(Number);
for (const [name, value] of Object.entries({ jobs, window, concurrency, threads })) {
  if (value === undefined || !Number.isInteger(value) || value < 1) throw new Error(`Expected \`--${name}\` to be an integer >= 1, got \`${String(value)}\``);
}

const redis = await startRedisServer();
try {
  const run = await runOverTwoConsumers({ redisUrl: redis.url, queue: `two-consumers-${String(Date.now())}`, jobs: jobs ?? 0, window: window ?? 1, concurrency: concurrency ?? 1, threads: threads ?? 1 });
  const problems = exactlyOnceProblems(run);
  const shares = run.reports.map((report) => `${String(report.completed.length)} (pid ${String(report.pid)})`).join(' and ');
  const starts = run.reports.reduce((sum, report) => sum + report.active.length, 0);
  console.log(`${run.jobs.toLocaleString('en')} jobs over two consumer processes on one Redis: ${run.seconds.toFixed(1)} s, ${run.jobsPerSecond.toFixed(0)} jobs/s`);
  console.log(`  results correct: ${String(run.resultCount - run.wrongResults.length)} of ${String(run.jobs)}; starts ${String(starts)}, completions by consumer ${shares}`);
  console.log(`  queue counts ${JSON.stringify(run.counts)}; consumers exited ${run.exitCodes.join(' and ')} on SIGTERM`);
  if (problems.length === 0) console.log('✔ every result correct, every job started and completed exactly once');
  else {
    for (const problem of problems) console.log(`✘ ${problem}`);
    process.exitCode = 1;
  }
} finally {
  await redis.stop();
}
