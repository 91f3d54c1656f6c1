/**
 * `npm run bench:shared`: spindle/shared's locks against a hand-written
 * Atomics lock and async-mutex, and its ByteChannel against ringbuf.js and
 * postMessage. Every measurement runs in a fresh process; within a round
 * the variants of a case run back to back (A B C A B C …), so each round's
 * ratios compare runs made under the same load. The table shows medians
 * over rounds and the median (and range) of the per-round ratios, then the
 * targets of issue 18.
 *
 *   npm run bench:shared -- [--rounds 5] [--cases uncontended,ring-4k] [--scale 1]
 */
import { execFile } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { median } from '../report/statistics.js';
import { writeResults } from '../report/results-file.js';
import { CASES, isCaseName, type CaseName } from './cases.js';

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

/** One measurement in a fresh Node process. */
function measure(name: CaseName, variant: string): Promise<number> {
  const trial = new URL('./trial.js', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [trial, '--case', name, '--variant', variant, '--scale', values.scale], { timeout: 300_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${name} ${variant}: ${error.message} ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      resolve((JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { value: number }).value);
    });
  });
}

const samples = new Map<string, number[]>();
const key = (name: string, variant: string): string => `${name}\u0000${variant}`;
process.stderr.write(`bench:shared on ${String(availableParallelism())} CPUs, ${String(rounds)} rounds, cases ${cases.join(', ')} (load average ${loadavg().map((load) => load.toFixed(1)).join(' ')})\n`);
for (let round = 1; round <= rounds; round++) {
  for (const name of cases) {
    for (const variant of CASES[name].variants) {
      const value = await measure(name, variant);
      samples.set(key(name, variant), [...(samples.get(key(name, variant)) ?? []), value]);
      process.stderr.write(`round ${String(round)}/${String(rounds)}  ${name.padEnd(12)} ${variant.padEnd(16)} ${value.toFixed(1)}\n`);
    }
  }
}

/** Spindle's advantage in one round: how many times better than `variant` (above 1: Spindle is better). */
const advantage = (name: CaseName, variant: string, round: number): number => {
  const ours = samples.get(key(name, 'spindle'))?.[round] ?? Number.NaN;
  const theirs = samples.get(key(name, variant))?.[round] ?? Number.NaN;
  return CASES[name].higherIsBetter ? ours / theirs : theirs / ours;
};
const advantages = (name: CaseName, variant: string): number[] => Array.from({ length: rounds }, (_, round) => advantage(name, variant, round));

const lines: string[] = [];
for (const name of cases) {
  const spec = CASES[name];
  lines.push(`\n${name}: ${spec.metric} (median of ${String(rounds)})`);
  for (const variant of spec.variants) {
    const values = samples.get(key(name, variant)) ?? [];
    const shown = `  ${variant.padEnd(16)} ${median(values).toFixed(1).padStart(10)}   [${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}]`;
    if (variant === 'spindle') {
      lines.push(shown);
      continue;
    }
    const ratios = advantages(name, variant);
    lines.push(`${shown}   Spindle ${median(ratios).toFixed(2)}× (per round ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×)`);
  }
}

/** The targets of issue 18, each over the per-round ratios: met when the median ratio meets it. */
const targets: { readonly name: CaseName; readonly text: string; readonly against: string; readonly atLeast: number }[] = [
  { name: 'uncontended', text: 'uncontended lock/unlock within 1.5× of the hand-written lock', against: 'hand-written', atLeast: 1 / 1.5 },
  { name: 'contended', text: 'contended lock/unlock within 1.5× of the hand-written lock', against: 'hand-written', atLeast: 1 / 1.5 },
  { name: 'ring-4k', text: 'ring buffer at least as fast as ringbuf.js (4 KiB chunks)', against: 'ringbuf.js', atLeast: 1 },
  { name: 'ring-4k', text: 'ring buffer at least 5× postMessage with transferred 4 KiB chunks', against: 'postMessage', atLeast: 5 },
];
lines.push('\nTargets (median of the per-round ratios):');
for (const target of targets.filter(({ name }) => cases.includes(name))) {
  const ratio = median(advantages(target.name, target.against));
  lines.push(`  ${ratio >= target.atLeast ? '✔' : '✖'} ${target.text}: Spindle ${ratio.toFixed(2)}× ${target.against}`);
}
console.log(lines.join('\n'));
const file = await writeResults('shared.json', { rounds, scale: Number(values.scale), loadAverage: loadavg(), samples: Object.fromEntries(samples) });
console.log(`\nSamples in ${file}`);
