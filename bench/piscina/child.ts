/**
 * One measurement of `npm run bench:piscina`, in a fresh process: one group
 * of piscina's benchmarks (its `--scope`) against one implementation, each
 * case measured in turn; prints one JSON line, then destroys every pool.
 *
 *   node build/bench/piscina/child.js --implementation piscina|spindle/piscina|spindle --group simple --tree <benchmark dir> --scale 1
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pool } from 'spindle';
import { addSpindleCases, isGroupName, type GroupName } from './spindle-cases.js';
import { CaseCollector, measureCase, type CaseResult } from './suite.js';

/** A pool either piscina or Spindle made: what the runner needs to end it. */
interface Destroyable {
  destroy(): Promise<unknown>;
}

const { values } = parseArgs({
  options: {
    implementation: { type: 'string' },
    group: { type: 'string' },
    tree: { type: 'string' },
    scale: { type: 'string', default: '1' },
  },
});
const { implementation, group, tree } = values;
const scale = Number(values.scale);
if (group === undefined || !isGroupName(group)) throw new Error(`Expected \`--group\` to be a piscina benchmark scope, got \`${String(group)}\``);
if (!(scale > 0)) throw new Error(`Expected \`--scale\` to be a number > 0, got \`${values.scale}\``);

const suite = new CaseCollector();
let pools: Destroyable[];
if (implementation === 'spindle') {
  const created: Pool<typeof import('./add-task.js')>[] = [];
  addSpindleCases(suite, group, created);
  pools = created;
} else if (implementation === 'piscina' || implementation === 'spindle/piscina') {
  if (tree === undefined) throw new Error('Expected `--tree`, the copy of piscina\'s benchmark/ folder');
  pools = loadPiscinaGroup(tree, group, suite);
} else {
  throw new Error(`Expected \`--implementation\` to be piscina, spindle/piscina or spindle, got \`${String(implementation)}\``);
}

/** Loads piscina's benchmark files for the group, unmodified, as piscina's benchmark/index.js does for `--scope`. */
function loadPiscinaGroup(benchmarkDir: string, name: GroupName, collector: CaseCollector): Destroyable[] {
  const require = createRequire(join(benchmarkDir, 'index.js'));
  type BenchmarkModule = (suite: CaseCollector, scope?: string) => CaseCollector;
  const load = (path: string): BenchmarkModule => require(path) as BenchmarkModule;
  if (name === 'simple') load('./simple')(collector, 'simple');
  else if (name === 'simple:async') load('./simple')(collector, 'async');
  else load(`./${name}`)(collector);
  // The copy's dist/index.js records every pool the benchmark creates (see trees.ts).
  return (require('../dist') as { createdPools: Destroyable[] }).createdPools;
}

/** The pools the group's files created as they loaded: each case's own, destroyed at the end. */
const loaded = new Set(pools);
const ended = new Set<Destroyable>();
/** Destroys the pools not destroyed yet (but, while cases run, those created as the files loaded). */
async function destroyPools(all: boolean): Promise<void> {
  const left = pools.filter((pool) => !ended.has(pool) && (all || !loaded.has(pool)));
  for (const pool of left) ended.add(pool);
  await Promise.all(left.map((pool) => pool.destroy()));
}

const results: CaseResult[] = [];
for (const benchCase of suite.cases) {
  // A startup case creates a pool per call: destroyed after each call, untimed.
  results.push(await measureCase(benchCase, scale, () => destroyPools(false)));
}
process.stdout.write(`${JSON.stringify({ results })}\n`);
await destroyPools(true);
process.exit(0);
