#!/usr/bin/env node
// `npm test`: build, type-check (tests and type tests included), lint, then
// the whole node:test suite under coverage, failing below 90% of src/ lines.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const step = (title, command, args, env = {}) => {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${String(result.status ?? result.signal)})`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
};
const bin = (name) => join('node_modules', '.bin', name);


step('build (tsc -p tsconfig.build.json)', bin('tsc'), ['-p', 'tsconfig.build.json']);
step('type-check tests, type tests, bench and demo (tsc -p tsconfig.json)', bin('tsc'), ['-p', 'tsconfig.json']);
if (only.length === 0) step('lint (eslint)', bin('eslint'), ['.']);

const testFiles = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
let files = testFiles(join('build', 'test'));
if (only.length > 0) files = files.filter((file) => only.some((pattern) => file.includes(pattern)));

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
    ...(only.length === 0 ? ['--check-coverage', '--lines=90'] : []),
    process.execPath,
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    ...files,
  ],
  { SPINDLE_TEST: '1' },
);
