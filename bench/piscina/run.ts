/**
 * `npm run bench:piscina`: piscina's own benchmarks (the benchmark/ folder
 * of the pinned piscina package, loaded unmodified) against piscina and
 * against spindle/piscina, and the same work on Spindle's own `Pool`.
 * Every measurement runs in a fresh process; within a round the three run
 * back to back, in an order that turns each round, so that each round's
 * ratios compare runs made under the same load. Two tables: ops/s (what
 * piscina's benchmarks report), and the CPU time the process (its pool's
 * threads included) spent per call, which a loaded machine disturbs far
 * less; each with the medians over rounds and the median (and range) of the
 * per-round ratios.
 *
 *   npm run bench:piscina -- [--rounds 5] [--groups simple,simple:async,queue,startup] [--scale 1]
 *
 * --scale multiplies each case's measured time (bench-node's `maxTime`, 1 s in every piscina benchmark).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeResults } from '../report/results-file.js';
import { median } from '../report/statistics.js';
import { GROUPS, isGroupName, type GroupName } from './spindle-cases.js';
import type { CaseResult } from './suite.js';
import { makeTrees, piscinaPackageDir, type PiscinaImplementation } from './trees.js';

const IMPLEMENTATIONS = ['piscina', 'spindle/piscina', 'spindle'] as const;
type Implementation = (typeof IMPLEMENTATIONS)[number];
/** A child that takes longer than this (its cases take a few seconds) is stuck. */
const CHILD_LIMIT_MS = 120_000;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    groups: { type: 'string', default: Object.keys(GROUPS).join(',') },
    scale: { type: 'string', default: '1' },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`Expected \`--rounds\` to be an integer >= 1, got \`${values.rounds}\``);
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error(`Expected \`--scale\` to be a number > 0, got \`${values.scale}\``);
const groups = values.groups.split(',').map((name) => {
  if (!isGroupName(name)) throw new Error(`Unknown group \`${name}\`; expected one of ${Object.keys(GROUPS).join(', ')}`);
  return name;
});

const directory = mkdtempSync(join(tmpdir(), 'spindle-bench-piscina-'));
const trees = makeTrees(directory);

function measure(implementation: Implementation, group: GroupName): Promise<CaseResult[]> {
  const child = new URL('./child.js', import.meta.url).pathname;
  const tree = implementation === 'spindle' ? [] : ['--tree', trees[implementation satisfies PiscinaImplementation]];
  const args = [child, '--implementation', implementation, '--group', group, '--scale', String(scale), ...tree];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: CHILD_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${implementation} ${group}: ${error.message} ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { results?: CaseResult[] };
      resolve(line.results ?? []);
    });
  });
}

/** The two figures of each case, one value per round for each implementation. */
const METRICS = ['opsPerSecond', 'cpuUsPerOp'] as const;
type Metric = (typeof METRICS)[number];
const samples = new Map<string, number[]>();
const key = (metric: Metric, name: string, implementation: Implementation): string => `${metric}\u0000${name}\u0000${implementation}`;
const loadAtStart = loadavg();
const piscinaVersion = (JSON.parse(readFileSync(join(piscinaPackageDir(), 'package.json'), 'utf8')) as { version: string }).version;
process.stderr.write(
  `bench:piscina: piscina ${piscinaVersion}'s benchmarks on ${String(availableParallelism())} CPUs, ${String(rounds)} rounds, groups ${groups.join(', ')}, scale ${String(scale)} (load average ${loadAtStart.map((load) => load.toFixed(1)).join(' ')})\n`,
);
try {
  for (let round = 0; round < rounds; round++) {
    for (const group of groups) {
      // Each round turns the order, so that no implementation always runs first (or last) under a changing load.
      const order = IMPLEMENTATIONS.map((_, index) => IMPLEMENTATIONS[(index + round) % IMPLEMENTATIONS.length] ?? 'piscina');
      for (const implementation of order) {
        for (const result of await measure(implementation, group)) {
          for (const metric of METRICS) {
            const values = samples.get(key(metric, result.name, implementation)) ?? [];
            values[round] = result[metric];
            samples.set(key(metric, result.name, implementation), values);
          }
          process.stderr.write(
            `round ${String(round + 1)}/${String(rounds)}  ${implementation.padEnd(16)} ${result.name.padEnd(26)} ${result.opsPerSecond.toFixed(0).padStart(8)} ops/s ${result.cpuUsPerOp.toFixed(1).padStart(9)} CPU µs/call (${String(result.calls)} calls)\n`,
          );
        }
      }
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

/** `ours` against `theirs` in each round, as "× better": × the ops/s, or × less CPU per call. */
const perRound = (metric: Metric, name: string, ours: Implementation, theirs: Implementation): number[] => {
  const mine = samples.get(key(metric, name, ours)) ?? [];
  const other = samples.get(key(metric, name, theirs)) ?? [];
  return Array.from({ length: rounds }, (_, round) => {
    const [better, worse] = metric === 'opsPerSecond' ? [mine[round], other[round]] : [other[round], mine[round]];
    return (better ?? Number.NaN) / (worse ?? Number.NaN);
  });
};
const range = (values: readonly number[]): string => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
const ratio = (values: readonly number[]): string => `${median(values).toFixed(2)}× (${range(values)})`;

const lines: string[] = [];
const TITLES: Record<Metric, string> = {
  opsPerSecond: 'ops/s (higher is better); ratios: × the ops/s',
  cpuUsPerOp: 'CPU µs per call, all threads of the process (lower is better); ratios: × less CPU',
};
for (const metric of METRICS) {
  lines.push(
    `\npiscina ${piscinaVersion}'s benchmarks, ${TITLES[metric]}. Medians of ${String(rounds)} rounds; ratios: median of the per-round ratios (range)`,
    `${'case'.padEnd(26)} ${'piscina'.padStart(9)} ${'spindle/piscina'.padStart(16)} ${'Spindle Pool'.padStart(13)}  ${'spindle/piscina : piscina'.padEnd(26)} ${'spindle/piscina : Pool'.padEnd(26)} Pool : piscina`,
  );
  for (const group of groups) {
    for (const name of GROUPS[group]) {
      const digits = metric === 'opsPerSecond' ? 0 : 1;
      const figure = (implementation: Implementation, width: number): string => median(samples.get(key(metric, name, implementation)) ?? []).toFixed(digits).padStart(width);
      lines.push(
        `${name.padEnd(26)} ${figure('piscina', 9)} ${figure('spindle/piscina', 16)} ${figure('spindle', 13)}  ${ratio(perRound(metric, name, 'spindle/piscina', 'piscina')).padEnd(26)} ${ratio(perRound(metric, name, 'spindle/piscina', 'spindle')).padEnd(26)} ${ratio(perRound(metric, name, 'spindle', 'piscina'))}`,
      );
    }
  }
}
lines.push(`\nload average: ${loadAtStart.map((load) => load.toFixed(1)).join(' ')} at the start, ${loadavg().map((load) => load.toFixed(1)).join(' ')} at the end`);
console.log(lines.join('\n'));
const saved = await writeResults('piscina.json', {
  piscinaVersion,
  rounds,
  scale,
  groups,
  loadAverage: { start: loadAtStart, end: loadavg() },
  samples: Object.fromEntries(samples),
});
console.log(`results: ${saved}`);
