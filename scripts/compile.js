#!/usr/bin/env node
// Compiles a TypeScript project and then removes the outputs whose source is
// gone, so a deleted test stops running and a deleted module stops shipping.
// Run directly (`npm run build`), it builds the package into dist/: tsc
// writes the declarations, esbuild the JavaScript (scripts/bundle.js).
//
// Stale outputs are removed one by one instead of emptying the folder first:
// a test run or a demo may be reading build/ at the same moment, and only
// the files with no source left are wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** What tsc writes for a source, from the output's ending back to the source's possible endings. */
const outputEndings = [
  ['.d.ts.map', ['.ts', '.tsx']],
  ['.d.mts.map', ['.mts']],
  ['.d.cts.map', ['.cts']],
  ['.d.ts', ['.ts', '.tsx']],
  ['.d.mts', ['.mts']],
  ['.d.cts', ['.cts']],
  ['.js.map', ['.ts', '.tsx']],
  ['.mjs.map', ['.mts']],
  ['.cjs.map', ['.cts']],
  ['.js', ['.ts', '.tsx']],
  ['.mjs', ['.mts']],
  ['.cjs', ['.cts']],
];

/**
 * Removes every file under `outDir` that tsc emitted from a source under
 * `rootDir` that no longer exists. Returns the removed paths, relative to
 * the repository.
 */
export function removeStaleOutputs(outDir, rootDir, { declarationsOnly = false } = {}) {
  const outputRoot = join(repositoryRoot, outDir);
  if (!existsSync(outputRoot)) return [];
  const removed = [];
  for (const entry of readdirSync(outputRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const output = join(entry.parentPath, entry.name);
    const ending = outputEndings.find(([suffix]) => entry.name.endsWith(suffix));
    if (ending === undefined || (declarationsOnly && !ending[0].startsWith('.d.'))) continue;
    const [suffix, sourceEndings] = ending;
    const stem = join(repositoryRoot, rootDir, relative(outputRoot, output)).slice(0, -suffix.length);
    if (sourceEndings.some((sourceEnding) => existsSync(stem + sourceEnding))) continue;
    rmSync(output);
    removed.push(relative(repositoryRoot, output));
  }
  return removed;
}

/** Runs tsc on `project`, then removes the stale outputs. Returns tsc's exit status. */
export function compile(project, outDir, rootDir, { declarationsOnly = false } = {}) {
  const tsc = join(repositoryRoot, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(tsc, ['-p', project], { stdio: 'inherit', cwd: repositoryRoot });
  const removed = removeStaleOutputs(outDir, rootDir, { declarationsOnly });
  if (removed.length > 0) console.log(`Removed ${String(removed.length)} stale output(s) of deleted sources from ${outDir}/: ${removed.join(', ')}`);
  return result.status ?? 1;
}

/** Builds the package into dist/: the declarations with tsc, then the JavaScript bundle. Returns the exit status. */
export function buildPackage() {
  const status = compile('tsconfig.build.json', 'dist', 'src', { declarationsOnly: true });
  if (status !== 0) return status;
  const bundled = spawnSync(process.execPath, [join(repositoryRoot, 'scripts', 'bundle.js')], { stdio: 'inherit', cwd: repositoryRoot });
  return bundled.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = buildPackage();
}
