#!/usr/bin/env node
// The judge of spindle/piscina: piscina's own published test suite, run
// against Spindle.
//
//   npm run test:piscina            (builds first; part of `npm test` too)
//   node scripts/test-piscina.js    (after `npm run build`)
//
// It copies the test/ folder of the pinned piscina dev dependency, unmodified,
// into node_modules/.cache/piscina-judge/, beside a package.json named "piscina" whose
// entry points (dist/main.js, dist/index.js, the ESM wrapper) load
// spindle/piscina from dist/piscina/. The suite's few imports of piscina's
// private modules (dist/common, dist/symbols, dist/worker_pool) resolve to
// the equivalents in dist/piscina/. It runs the suite as piscina does
// (node --import=tsx --test), prints passed / failed / skipped per file, and
// fails if a test fails that is not listed in EXCLUDED with its reason (the
// same list as in docs/migrating-from-piscina.md).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXCLUDED } from './piscina-judge/excluded.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const piscinaDir = join(root, 'node_modules', 'piscina');
// Not under build/: scripts/compile.js removes every .js file there without a source beside it (the copied fixtures,
// the entry points below), so a build run meanwhile (another terminal, another engineer) took them from under the suite.
// Under node_modules/, the suite still finds the packages it requires (tsx, concat-stream) in the repository's node_modules.
const tree = join(root, 'node_modules', '.cache', 'piscina-judge');
const ours = join(root, 'dist', 'piscina');
/** The named exports of piscina 5 (its dist/esm-wrapper.mjs). */
const NAMED_EXPORTS = ['ArrayTaskQueue', 'FixedQueue', 'Piscina', 'isWorkerThread', 'move', 'queueOptionsSymbol', 'transferableSymbol', 'valueSymbol', 'version', 'workerData'];
const WHOLE_RUN_LIMIT_MS = 300_000;
/** node:test applies it to each test file's run too: piscina's slowest file takes about 30 s here. */
const PER_TEST_LIMIT_MS = 120_000;

if (!existsSync(join(ours, 'index.js'))) {
  console.error('dist/piscina/index.js is missing: run `npm run build` first');
  process.exit(2);
}
const piscinaPackage = JSON.parse(readFileSync(join(piscinaDir, 'package.json'), 'utf8'));

rmSync(tree, { recursive: true, force: true });
mkdirSync(join(tree, 'dist', 'worker_pool'), { recursive: true });
cpSync(join(piscinaDir, 'test'), join(tree, 'test'), { recursive: true });
const target = (from, file) => JSON.stringify(relative(from, join(ours, file)).replaceAll('\\', '/'));
const dist = join(tree, 'dist');
const files = {
  'package.json': JSON.stringify(
    {
      name: 'piscina',
      version: piscinaPackage.version,
      description: 'spindle/piscina under the name piscina, for piscina test suite',
      main: './dist/main.js',
      exports: { import: './dist/esm-wrapper.mjs', require: './dist/main.js' },
    },
    null,
    2,
  ),
  // tsx compiles the tests with these settings (piscina's own tsconfig is not published).
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'es2022', module: 'commonjs', esModuleInterop: true, strict: false } }, null, 2),
  // require('piscina'): the class itself, its statics carrying the named exports (as piscina's dist/main.js).
  'dist/main.js': `'use strict';\nmodule.exports = require(${target(dist, 'index.js')}).default;\n`,
  // require('piscina/dist'): the module namespace, with __esModule so that a default import finds the class.
  'dist/index.js': `'use strict';\nmodule.exports = Object.defineProperty({ ...require(${target(dist, 'index.js')}) }, '__esModule', { value: true });\n`,
  // import('piscina'): the CommonJS entry, re-exported (as piscina's own ESM wrapper does), so both see one copy.
  'dist/esm-wrapper.mjs': `import mod from './main.js';\nexport default mod;\n${NAMED_EXPORTS.map((name) => `export const ${name} = mod.${name};\n`).join('')}`,
  'dist/symbols.js': `'use strict';\nconst s = require(${target(dist, 'symbols.js')});\nmodule.exports = { kTransferable: s.transferableSymbol, kValue: s.valueSymbol, kQueueOptions: s.queueOptionsSymbol };\n`,
  'dist/common.js': `'use strict';\nconst m = require(${target(dist, 'movable.js')});\nconst { availableParallelism } = require('node:os');\nmodule.exports = { isMovable: m.isMovable, markMovable: m.markMovable, isTransferable: m.isTransferable, getAvailableParallelism: availableParallelism };\n`,
  'dist/worker_pool/index.js': `'use strict';\nmodule.exports = {};\n`,
};
for (const [file, text] of Object.entries(files)) writeFileSync(join(tree, file), text);

const testFiles = readdirSync(join(tree, 'test'))
  .filter((name) => name.endsWith('.test.ts'))
  // node scripts/test-piscina.js abort pool: only the files whose name contains one of these
  .filter((name) => process.argv.length <= 2 || process.argv.slice(2).some((pattern) => name.includes(pattern)))
  .sort()
  .map((name) => join('test', name));
const resultsFile = join(tree, 'results.json');
const concurrency = process.env.PISCINA_JUDGE_CONCURRENCY ?? '4';
const started = Date.now();
const child = spawn(
  process.execPath,
  [
    '--enable-source-maps',
    '--import=tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${String(PER_TEST_LIMIT_MS)}`,
    `--test-reporter=${join(root, 'scripts', 'piscina-judge', 'reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    ...testFiles,
  ],
  { cwd: tree, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PISCINA_JUDGE_RESULTS: resultsFile }, detached: true },
);
const watchdog = setTimeout(() => {
  console.error(`✖ the piscina suite ran past ${String(WHOLE_RUN_LIMIT_MS / 1000)} s: ending it`);
  process.kill(-child.pid, 'SIGKILL');
}, WHOLE_RUN_LIMIT_MS);
const exitCode = await new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit(code ?? signal)));
clearTimeout(watchdog);
// A test file's process left behind (a worker that never ends) goes with its group.
try {
  process.kill(-child.pid, 'SIGKILL');
} catch {
  // already gone
}

if (!existsSync(resultsFile)) {
  console.error(`✖ the piscina suite ended (${String(exitCode)}) without results`);
  process.exit(1);
}
const { files: perFile, failures } = JSON.parse(readFileSync(resultsFile, 'utf8'));
const totals = { passed: 0, failed: 0, skipped: 0 };
console.log(`\npiscina ${piscinaPackage.version}'s test suite against spindle/piscina (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
console.log(`${'file'.padEnd(48)} passed failed skipped`);
for (const [file, counts] of Object.entries(perFile)) {
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  console.log(`${file.padEnd(48)} ${String(counts.passed).padStart(6)} ${String(counts.failed).padStart(6)} ${String(counts.skipped).padStart(7)}`);
}
const total = totals.passed + totals.failed + totals.skipped;
console.log(`${'total'.padEnd(48)} ${String(totals.passed).padStart(6)} ${String(totals.failed).padStart(6)} ${String(totals.skipped).padStart(7)}`);
console.log(`\n${String(totals.passed)} of ${String(total)} passed (${String(totals.skipped)} skipped by their own conditions)`);
const excluded = (failure) => EXCLUDED.some((entry) => entry.file === failure.file && entry.name === failure.name);
const unexpected = failures.filter((failure) => !excluded(failure));
for (const failure of failures) console.log(`${excluded(failure) ? '  excluded' : '✖ failed'}: ${failure.file} › ${failure.name}: ${failure.message}`);
if (unexpected.length > 0) {
  console.error(`\n✖ ${String(unexpected.length)} piscina test(s) failed that are not listed as excluded`);
  process.exit(1);
}
