/**
 * `npm run bench`: Spindle against piscina, tinypool, workerpool and poolifier
 * (the thread group), then Spindle's process runtime against tinypool's
 * child_process runtime, workerpool's process pool and poolifier's cluster
 * pool (the process group), and what a worker costs as a thread or as a
 * process (the footprint). Every measurement runs in a fresh child process,
 * pools in turn (A B C D E A B C D E …) for several rounds; each group's table
 * shows medians over rounds, with Spindle's advantage over each peer, then
 * that group's targets (issue 4 for threads, issue 14 for processes).
 *
 *   npm run bench -- [--group all|threads|process] [--rounds 5] [--threads 2] [--workloads burst,latency] [--pools spindle,piscina] [--json] [--scale 1]
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { ChildResult } from './child.js';
import type { PoolGroup } from './adapters/bench-pool.js';
import { isPoolName, POOL_NAMES, POOLS, poolsOf, SPINDLE_OF, type PoolName } from './adapters/registry.js';
import { checkProcessTargets } from './report/process-targets.js';
import { readFreshResults, writeResults } from './report/results-file.js';
import { medianOverRounds } from './report/summary.js';
import { formatNumber, formatTable } from './report/table.js';
import { checkTargets, formatTargets, type RawFloor } from './report/targets.js';
import { RAW_PINNED, runChild } from './run-child.js';
import { isWorkloadName, PROCESS_WORKLOADS, THREAD_WORKLOADS, WORKLOAD_NAMES, WORKLOADS, type WorkloadName } from './workloads/registry.js';
import type { RawResults } from './raw.js';

/** Workloads for which plain worker_threads run beside the pools, as the floor. */
const RAW_WORKLOADS: readonly string[] = ['latency', 'transfer'];
const CHILD_TIMEOUT_MS = 120_000;
const RAW_RESULTS_MAX_AGE_MS = 60 * 60 * 1000;

/** Workers in the footprint's pools: the RSS per worker is an average over this many. */
const FOOTPRINT_WORKERS = 4;
const GROUPS = ['threads', 'process'] as const satisfies readonly PoolGroup[];

const { values } = parseArgs({
  options: {
    group: { type: 'string', default: 'all' },
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    workloads: { type: 'string' },
    pools: { type: 'string' },
    scale: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
if (values.group !== 'all' && !(GROUPS as readonly string[]).includes(values.group)) throw new Error(`Expected \`--group\` to be one of all, threads, process, got \`${values.group}\``);
const rounds = positiveInteger('rounds', values.rounds);
const threads = positiveInteger('threads', values.threads);
const scale = Number(values.scale);
const chosenWorkloads = values.workloads?.split(',').map((name) => {
  if (!isWorkloadName(name)) throw new Error(`Unknown workload \`${name}\`; expected one of ${WORKLOAD_NAMES.join(', ')}`);
  return name;
});
const chosenPools = values.pools?.split(',').map((name) => {
  if (!isPoolName(name)) throw new Error(`Unknown pool \`${name}\`; expected one of ${POOL_NAMES.join(', ')}`);
  return name;
});

interface GroupPlan {
  readonly pools: PoolName[];
  readonly workloads: WorkloadName[];
}

/** What each group runs: its own pools and workloads, narrowed by --pools and --workloads; a group left with nothing is skipped. */
function planOf(group: PoolGroup): GroupPlan | undefined {
  if (values.group !== 'all' && values.group !== group) return undefined;
  const defaults = group === 'threads' ? THREAD_WORKLOADS : [...PROCESS_WORKLOADS, 'footprint' as const];
  const pools = poolsOf(group).filter((pool) => chosenPools === undefined || chosenPools.includes(pool));
  const workloads = chosenWorkloads === undefined ? [...defaults] : chosenWorkloads.filter((workload) => group === 'process' || workload !== 'footprint');
  return pools.length === 0 || workloads.length === 0 ? undefined : { pools, workloads };
}
const plans: Partial<Record<PoolGroup, GroupPlan>> = {};
for (const group of GROUPS) {
  const plan = planOf(group);
  if (plan !== undefined) plans[group] = plan;
}
if (plans.threads === undefined && plans.process === undefined) throw new Error('Nothing to run: no pool of the chosen group is among --pools, or no workload among --workloads');

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`Expected \`--${option}\` to be an integer >= 1, got \`${text}\``);
  return value;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

interface Run {
  readonly group: PoolGroup;
  readonly round: number;
  readonly workload: WorkloadName;
  readonly pool: string;
  readonly threads: number;
}

/** Each group's rounds in turn; within a round, each workload's pools interleaved (the footprint: Spindle's thread and process pools, FOOTPRINT_WORKERS each). */
const schedule: Run[] = [];
for (const group of GROUPS) {
  const plan = plans[group];
  if (plan === undefined) continue;
  for (let round = 1; round <= rounds; round++) {
    for (const workload of plan.workloads) {
      if (workload === 'footprint') {
        for (const pool of ['spindle', 'spindle-process']) schedule.push({ group, round, workload, pool, threads: FOOTPRINT_WORKERS });
        continue;
      }
      if (group === 'threads' && RAW_WORKLOADS.includes(workload)) schedule.push({ group, round, workload, pool: 'raw', threads });
      for (let run = 0; run < (WORKLOADS[workload].runsPerRound ?? 1); run++) {
        for (const pool of plan.pools) schedule.push({ group, round, workload, pool, threads });
      }
    }
  }
}

const startedAt = new Date();
const loadAverageAtStart = loadavg();
const results: (ChildResult & { round: number })[] = [];
const failures: { round: number; workload: string; pool: string; error: string }[] = [];
const groupsText = GROUPS.flatMap((group) => {
  const plan = plans[group];
  return plan === undefined ? [] : [`${group}: ${plan.pools.join(', ')} on ${plan.workloads.join(', ')}`];
});
process.stderr.write(`Benchmarking ${groupsText.join('; ')}: ${rounds} rounds, ${threads} workers, ${schedule.length} runs (load average ${loadAverageAtStart.map((load) => load.toFixed(1)).join(' ')})\n`);

for (const [index, { group, round, workload, pool, threads: workers }] of schedule.entries()) {
  const outcome = await runChild({ pool, workload, threads: workers, scale }, CHILD_TIMEOUT_MS);
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
  process.stderr.write(`[${group.padEnd(7)} round ${round}/${rounds}  ${index + 1}/${schedule.length}]  ${workload.padEnd(9)} ${pool.padEnd(18)} ${shown}   (${duration(elapsedMs)} elapsed, ~${duration(leftMs)} left)\n`);
}

const medians = medianOverRounds(results);
const raw = plans.threads === undefined ? undefined : await rawFloor();
const targets = raw === undefined ? [] : checkTargets(medians, raw);
const processPeers = (plans.process?.pools ?? []).filter((pool) => pool !== SPINDLE_OF.process);
const processTargets = plans.process === undefined ? [] : checkProcessTargets(medians, processPeers);
const footprint = medians.footprint === undefined ? undefined : { workers: FOOTPRINT_WORKERS, thread: medians.footprint.spindle, process: medians.footprint['spindle-process'], method: WORKLOADS.footprint.summary };
const finishedAt = new Date();
const report = {
  startedAt: startedAt.toISOString(),
  finishedAt: finishedAt.toISOString(),
  wallSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
  machine: { cpus: availableParallelism(), node: process.version, loadAverageAtStart, loadAverageAtEnd: loadavg() },
  settings: { group: values.group, rounds, threads, scale, groups: plans },
  workloads: Object.fromEntries(WORKLOAD_NAMES.filter((workload) => medians[workload] !== undefined).map((workload) => [workload, WORKLOADS[workload].summary])),
  medians,
  rawFloor: raw,
  targets,
  processTargets,
  footprint,
  failures,
  samples: results,
};
const path = await writeResults('latest.json', report);

if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const lines: string[] = [];
  for (const group of GROUPS) {
    const plan = plans[group];
    if (plan === undefined) continue;
    const spindle = SPINDLE_OF[group];
    const measured = plan.workloads.filter((workload) => workload !== 'footprint');
    if (measured.length === 0) continue;
    lines.push(
      '',
      `${group === 'threads' ? 'Thread pools' : 'Process pools'}: medians over ${rounds} rounds, ${threads} workers, each run in its own process. "(n×)" is ${spindle}'s advantage over that pool (> 1: Spindle better).`,
      '',
      formatTable(medians, measured, [spindle, ...plan.pools.filter((pool) => pool !== spindle)], spindle),
      '',
      'Workloads:',
      ...measured.map((workload) => `  ${workload.padEnd(9)}${WORKLOADS[workload].summary}`),
      `How each library was driven (same worker functions, same ${group === 'threads' ? 'thread' : 'worker'} count):`,
      ...plan.pools.map((pool) => {
        const { runtime, priorities, transfer } = POOLS[pool] as { runtime?: string; priorities: string; transfer: string };
        return `  ${pool.padEnd(19)}${runtime === undefined ? `priorities: ${priorities}; transfer: ${transfer}` : runtime}`;
      }),
      '',
      group === 'threads' ? `Targets (raw floor: ${raw?.source ?? 'none'}):` : 'Targets (issue 14: Spindle\'s process runtime ahead of each process pool on each figure):',
      formatTargets(group === 'threads' ? targets : processTargets),
    );
  }
  if (footprint !== undefined) {
    lines.push('', `What a worker costs (Spindle, ${FOOTPRINT_WORKERS} workers, medians over ${rounds} rounds): ${WORKLOADS.footprint.summary}.`, '', formatTable(medians, ['footprint'], ['spindle', 'spindle-process'], ''));
  }
  lines.push(
    '',
    ...failures.map((failure) => `Failed: round ${failure.round} ${failure.workload} ${failure.pool}: ${failure.error}`),
    `Wall time ${duration(report.wallSeconds * 1000)}; load average ${loadAverageAtStart.map((load) => load.toFixed(1)).join(' ')} at start, ${report.machine.loadAverageAtEnd.map((load) => load.toFixed(1)).join(' ')} at end (${availableParallelism()} cores). Written to ${path}.`,
  );
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
