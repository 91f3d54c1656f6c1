/**
 * `npm run bench:shared`: spindle/shared's locks against a hand-written
 * Atomics lock and async-mutex, and its ByteChannel against ringbuf.js and
 * postMessage. Every measurement runs in a fresh process; within a round
 * the variants of a case run back to back (A B C A B C …), so each round's
 * ratios compare runs made under the same load (the uncontended lock case
 * measures both locks in one trial, alternating them in one thread). The table shows medians
 * over rounds and the median (and range) of the per-round ratios, then the
 * targets of issue 18. The ring-256b, ring-1m and argument-* cases measure
 * the crossovers that docs/shared-memory.md quotes: the chunk size from
 * which a ring beats postMessage, and the argument size from which a
 * SharedArrayBuffer beats a copied Uint8Array.
 *
 *   npm run bench:shared -- [--rounds 5] [--cases uncontended,ring-4k] [--scale 1]
 */
import { execFile } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { median } from '../report/statistics.js';
import { writeResults } from '../report/results-file.js';
import { CASES, isCaseName, TOGETHER, type CaseName } from './cases.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    cases: { type: 'string', default: Object.keys(CASES).join(',') },
    scale: { type: 'string', default: '1' },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`Expected \`--rounds\` to be an integer >= 1, got \`${values.rounds}\``);
const cases = values.cases.split(',').map((name) => {
  if (!isCaseName(name)) throw new Error(`Unknown case \`${name}\`; expected one of ${Object.keys(CASES).join(', ')}`);
  return name;
});

/** One measurement in a fresh Node process: a variant's value, or, with TOGETHER, every variant's. */
function measure(name: CaseName, variant: string): Promise<number | Readonly<Record<string, number>>> {
  const trial = new URL('./trial.js', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [trial, '--case', name, '--variant', variant, '--scale', values.scale], { timeout: 300_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${name} ${variant}: ${error.message} ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { value?: number; values?: Readonly<Record<string, number>> };
      resolve(line.values ?? line.value ?? Number.NaN);
    });
  });
}

const samples = new Map<string, number[]>();
const key = (name: string, variant: string): string => `${name}\u0000${variant}`;
process.stderr.write(`bench:shared on ${String(availableParallelism())} CPUs, ${String(rounds)} rounds, cases ${cases.join(', ')} (load average ${loadavg().map((load) => load.toFixed(1)).join(' ')})\n`);
for (let round = 1; round <= rounds; round++) {
  for (const name of cases) {
    const spec = CASES[name];
    const together = 'together' in spec ? await measure(name, TOGETHER) : undefined;
    for (const variant of spec.variants) {
      const measured = together ?? (await measure(name, variant));
      const value = typeof measured === 'number' ? measured : (measured[variant] ?? Number.NaN);
      samples.set(key(name, variant), [...(samples.get(key(name, variant)) ?? []), value]);
      process.stderr.write(`round ${String(round)}/${String(rounds)}  ${name.padEnd(12)} ${variant.padEnd(16)} ${value.toFixed(1)}\n`);
    }
  }
}

/** `ours` over `theirs` in one round: × the throughput (MB/s cases) or × the time (ns cases). */
const ratio = (name: CaseName, ours: string, theirs: string, round: number): number =>
  (samples.get(key(name, ours))?.[round] ?? Number.NaN) / (samples.get(key(name, theirs))?.[round] ?? Number.NaN);
const ratios = (name: CaseName, ours: string, theirs: string): number[] => Array.from({ length: rounds }, (_, round) => ratio(name, ours, theirs, round));
const unit = (name: CaseName): string => (CASES[name].higherIsBetter ? 'the throughput' : 'the time');
/** Spindle's variants, and a SharedArrayBuffer argument (what spindle/shared builds on), against which the others are compared. */
const isOurs = (variant: string): boolean => variant.startsWith('spindle') || variant === 'shared';
const range = (values: readonly number[], digits: number): string => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

const lines: string[] = [];
for (const name of cases) {
  const spec = CASES[name];
  const ours = spec.variants.filter(isOurs);
  lines.push(`\n${name}: ${spec.metric} (median of ${String(rounds)} [range])`);
  for (const variant of spec.variants) {
    const values = samples.get(key(name, variant)) ?? [];
    const shown = `  ${variant.padEnd(17)} ${median(values).toFixed(1).padStart(9)}  [${range(values, 1)}]`;
    if (isOurs(variant)) {
      lines.push(shown);
      continue;
    }
    const compared = ours.map((mine) => {
      const each = ratios(name, mine, variant);
      return `${mine} ${median(each).toFixed(2)}× (${range(each, 2)})`;
    });
    lines.push(`${shown}   ${unit(name)} of: ${compared.join(', ')}`);
  }
}

/** The targets of issue 18, each over the per-round ratios: met when their median meets it. */
const targets: { readonly name: CaseName; readonly text: string; readonly ours: string; readonly theirs: string; readonly met: (ratio: number) => boolean }[] = [
  { name: 'uncontended', text: 'uncontended lock/unlock within 1.5× the time of the hand-written lock', ours: 'spindle', theirs: 'hand-written', met: (time) => time <= 1.5 },
  { name: 'contended', text: 'contended lock/unlock within 1.5× the time of the hand-written lock', ours: 'spindle', theirs: 'hand-written', met: (time) => time <= 1.5 },
  { name: 'ring-4k', text: 'ring buffer at least as fast as ringbuf.js, both copying in and out (4 KiB chunks)', ours: 'spindle', theirs: 'ringbuf.js', met: (throughput) => throughput >= 1 },
  { name: 'ring-4k', text: 'ring buffer at least as fast as ringbuf.js, both polling (4 KiB chunks)', ours: 'spindle-polling', theirs: 'ringbuf.js', met: (throughput) => throughput >= 1 },
  // The ring at full speed: its polling ends, the reader copying out. The blocking ends (spindle, spindle-in-place) sleep when
  // the other end stalls, and on a machine with no core to spare the scheduler takes about a millisecond to run them again.
  { name: 'ring-4k', text: 'ring buffer at least 5× postMessage with transferred 4 KiB chunks (the ring\'s polling ends, copying out; postMessage read in place)', ours: 'spindle-polling', theirs: 'postMessage', met: (throughput) => throughput >= 5 },
];
lines.push('\nTargets (median of the per-round ratios):');
for (const target of targets.filter(({ name }) => cases.includes(name))) {
  const each = ratios(target.name, target.ours, target.theirs);
  const typical = median(each);
  lines.push(`  ${target.met(typical) ? '✔' : '✖'} ${target.text}: ${target.ours} ${typical.toFixed(2)}× ${unit(target.name)} of ${target.theirs} (rounds ${range(each, 2)})`);
}
console.log(lines.join('\n'));
const file = await writeResults('shared.json', { rounds, scale: Number(values.scale), loadAverage: loadavg(), samples: Object.fromEntries(samples) });
console.log(`\nSamples in ${file}`);
