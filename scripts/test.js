#!/usr/bin/env node
// `npm test`: build, type-check (tests and type tests included), lint, then
// the whole node:test suite under coverage, failing below 90% of src/ lines.
//
//   node scripts/test.js                the whole suite, as `npm test`
//   node scripts/test.js queue abort    only the test files whose path contains "queue" or "abort"
//   node scripts/test.js --unit         the fast unit tests (test/internals/): no worker pools, seconds
//   node scripts/test.js --no-coverage  the whole suite without collecting coverage (CI's second run, on Node 24)
//
// The whole suite ends with the piscina judge (scripts/test-piscina.js): piscina's own tests against spindle/piscina.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage, compile } from './compile.js';

const argv = process.argv.slice(2);
const unit = argv.includes('--unit');
const withoutCoverage = argv.includes('--no-coverage');
const only = argv.filter((argument) => argument !== '--unit' && argument !== '--no-coverage');
const whole = !unit && only.length === 0;

const timed = (title, run) => {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const status = run();
  if (status !== 0) {
    console.error(`✖ ${title} failed (exit ${String(status)})`);
    process.exit(typeof status === 'number' ? status : 1);
  }
  console.log(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
};
const step = (title, command, args, env = {}) =>
  timed(title, () => {
    const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    return result.status ?? result.signal;
  });
const bin = (name) => join('node_modules', '.bin', name);

// Unit tests import the sources compiled into build/src/ and never the package, so they skip dist/.
if (!unit) timed('build (declarations: tsc -p tsconfig.build.json; JavaScript: esbuild, scripts/bundle.js)', buildPackage);
timed('type-check tests, type tests, docs snippets, examples, bench and demo (tsc -p tsconfig.json)', () => compile('tsconfig.json', 'build', '.'));
// The cache (by content) makes a second run on an unchanged tree, such as CI's run on Node 24, take seconds.
if (whole) step('lint (eslint)', bin('eslint'), ['--cache', '--cache-strategy', 'content', '--cache-location', join('node_modules', '.cache', 'eslint', ''), '.']);

const testFiles = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
let files = testFiles(join('build', 'test'));
if (unit) files = files.filter((file) => file.startsWith(join('build', 'test', 'internals')));
if (only.length > 0) files = files.filter((file) => only.some((pattern) => file.includes(pattern)));

if (unit) {
  step(`unit tests (${String(files.length)} files)`, process.execPath, ['--test', '--test-reporter=spec', ...files]);
} else if (withoutCoverage) {
  step(`tests without coverage (${String(files.length)} files)`, process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files]);
} else {
  step(
    `tests with coverage (${String(files.length)} files)`,
    bin('c8'),
    [
      '--reporter=text-summary',
      '--reporter=text',
      '--src=src',
      '--include=src/**',
      '--include=build/src/**',
      '--include=dist/**',
      '--exclude-after-remap',
      ...(whole ? ['--check-coverage', '--lines=90'] : []),
      process.execPath,
      '--test',
      '--test-reporter=spec',
      '--test-concurrency=2',
      ...files,
    ],
  );
}

if (whole) step("piscina's test suite against spindle/piscina (scripts/test-piscina.js)", process.execPath, [join('scripts', 'test-piscina.js')]);
