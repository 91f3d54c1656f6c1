/**
 * `npm run bench`: Spindle against piscina, tinypool, workerpool and poolifier.
 * Every measurement runs in a fresh child process, pools in turn
 * (A B C D E A B C D E …) for several rounds; the table shows medians over
 * rounds, with Spindle's advantage over each peer, then the targets of issue 4.
 *
 *   npm run bench -- [--rounds 5] [--threads 2] [--workloads burst,latency] [--pools spindle,piscina] [--json] [--scale 1]
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { ChildResult } from './child.js';
import { isPoolName, POOL_NAMES, POOLS } from './adapters/registry.js';
import { readFreshResults, writeResults } from './report/results-file.js';
import { medianOverRounds } from './report/summary.js';
import { formatNumber, formatTable } from './report/table.js';
import { checkTargets, formatTargets, type RawFloor } from './report/targets.js';
import { RAW_PINNED, runChild } from './run-child.js';
import { isWorkloadName, WORKLOAD_NAMES, WORKLOADS, type WorkloadName } from './workloads/registry.js';
import type { RawResults } from './raw.js';

/** Workloads for which plain worker_threads run beside the pools, as the floor. */
const RAW_WORKLOADS: readonly string[] = ['latency', 'transfer'];
const CHILD_TIMEOUT_MS = 120_000;
const RAW_RESULTS_MAX_AGE_MS = 60 * 60 * 1000;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    workloads: { type: 'string', default: WORKLOAD_NAMES.join(',') },
    pools: { type: 'string', default: POOL_NAMES.join(',') },
    scale: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger('rounds', values.rounds);
const threads = positiveInteger('threads', values.threads);
const scale = Number(values.scale);
const workloads = values.workloads.split(',').map((name) => {
  if (!isWorkloadName(name)) throw new Error(`Unknown workload \`${name}\`; expected one of ${WORKLOAD_NAMES.join(', ')}`);
  return name;
});
const pools = values.pools.split(',').map((name) => {
  if (!isPoolName(name)) throw new Error(`Unknown pool \`${name}\`; expected one of ${POOL_NAMES.join(', ')}`);
  return name;
});

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`Expected \`--${option}\` to be an integer >= 1, got \`${text}\``);
  return value;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

const schedule: { round: number; workload: WorkloadName; pool: string }[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const workload of workloads) {
    if (RAW_WORKLOADS.includes(workload)) schedule.push({ round, workload, pool: 'raw' });
    for (const pool of pools) schedule.push({ round, workload, pool });
  }
}

const startedAt = new Date();
const loadAverageAtStart = loadavg();
const results: (ChildResult & { round: number })[] = [];
const failures: { round: number; workload: string; pool: string; error: string }[] = [];
process.stderr.write(`Benchmarking ${pools.join(', ')} on ${workloads.join(', ')}: ${rounds} rounds, ${threads} threads, ${schedule.length} runs (load average ${loadAverageAtStart.map((load) => load.toFixed(1)).join(' ')})\n`);

for (const [index, { round, workload, pool }] of schedule.entries()) {
  const outcome = await runChild({ pool, workload, threads, scale }, CHILD_TIMEOUT_MS);
  const elapsedMs = Date.now() - startedAt.getTime();
  const leftMs = (elapsedMs / (index + 1)) * (schedule.length - index - 1);
  let shown: string;
  if (outcome.ok) {
    results.push({ ...outcome.result, round });
    const spec = WORKLOADS[workload].metrics[0];
    shown = spec === undefined ? 'done' : `${formatNumber(outcome.result.metrics[spec.key], spec.digits)} ${spec.label}`;
  } else {
    failures.push({ round, workload, pool, error: outcome.error });
    shown = `FAILED (${outcome.error})`;
  }
  process.stderr.write(`[round ${round}/${rounds}  ${index + 1}/${schedule.length}]  ${workload.padEnd(8)} ${pool.padEnd(10)} ${shown}   (${duration(elapsedMs)} elapsed, ~${duration(leftMs)} left)\n`);
}

const medians = medianOverRounds(results);
const raw = await rawFloor();
const targets = checkTargets(medians, raw);
const finishedAt = new Date();
const report = {
  startedAt: startedAt.toISOString(),
  finishedAt: finishedAt.toISOString(),
  wallSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
  machine: { cpus: availableParallelism(), node: process.version, loadAverageAtStart, loadAverageAtEnd: loadavg() },
  settings: { rounds, threads, scale, pools, workloads },
  workloads: Object.fromEntries(workloads.map((workload) => [workload, WORKLOADS[workload].summary])),
  medians,
  rawFloor: raw,
  targets,
  failures,
  samples: results,
};
const path = await writeResults('latest.json', report);

if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const lines = [
    '',
    `Medians over ${rounds} rounds, ${threads} threads, each run in its own process. "(n×)" is Spindle's advantage over that pool (> 1: Spindle better).`,
    '',
    formatTable(medians, workloads, ['spindle', ...pools.filter((pool) => pool !== 'spindle')]),
    '',
    'Workloads:',
    ...workloads.map((workload) => `  ${workload.padEnd(9)}${WORKLOADS[workload].summary}`),
    'How each library was driven (same worker functions, same thread count):',
    ...pools.map((pool) => `  ${pool.padEnd(11)}priorities: ${POOLS[pool].priorities}; transfer: ${POOLS[pool].transfer}`),
    '',
    `Targets (raw floor: ${raw.source}):`,
    formatTargets(targets),
    '',
    ...failures.map((failure) => `Failed: round ${failure.round} ${failure.workload} ${failure.pool}: ${failure.error}`),
    `Wall time ${duration(report.wallSeconds * 1000)}; load average ${loadAverageAtStart.map((load) => load.toFixed(1)).join(' ')} at start, ${report.machine.loadAverageAtEnd.map((load) => load.toFixed(1)).join(' ')} at end (${availableParallelism()} cores). Written to ${path}.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The raw floor measured in this run, or else from a recent `npm run bench:raw`. */
async function rawFloor(): Promise<RawFloor> {
  const pingPongP50Us = medians.latency?.raw?.p50Us;
  const transferRoundTripMs = medians.transfer?.raw?.roundTripMs;
  if (pingPongP50Us !== undefined && transferRoundTripMs !== undefined) return { pingPongP50Us, transferRoundTripMs, source: `measured in this run${RAW_PINNED ? ', pinned to one CPU (its fastest placement)' : ''}` };
  const saved = (await readFreshResults('raw.json', RAW_RESULTS_MAX_AGE_MS)) as RawResults | undefined;
  return {
    pingPongP50Us: pingPongP50Us ?? saved?.results.pinned?.pingPongP50Us ?? saved?.results.messagePingPong.p50Us,
    transferRoundTripMs: transferRoundTripMs ?? saved?.results.pinned?.transferRoundTripMs ?? saved?.results.transferRoundTrip.roundTripMs,
    source: saved === undefined ? 'measured in this run where available' : `this run, else .bench-results/raw.json of ${saved.finishedAt}`,
  };
}
