// Bundles the package's JavaScript (dist/**/*.js) with esbuild; tsc writes
// only the declarations there (tsconfig.build.json).
//
// Why: Node loads an ES module file by file, and a worker (thread or
// process) starting up loaded some twenty of them before it could run a task;
// the main entry point about eighty. Bundled, the same code loads as a few
// files and a worker starts about twenty milliseconds sooner (see
// docs/isolation.md).
//
// The entry points are every target of package.json's `exports` and `bin`,
// and every file the code starts by its URL
// (`new URL('../worker/entry.js', import.meta.url)`): a worker's script, a
// process's script, piscina's worker module. Code used by more than one entry
// point goes into shared chunks under dist/chunks/, so there is one copy of
// each module's state however many entry points a process loads. Not for
// the scripts a worker starts with and `spindle/worker` (see workerScripts
// and standaloneEntries below): a worker loads them before it can answer, so
// each is one file, with its own copy of what it needs.
//
// A chunk sits one folder below dist/, as every module that starts a file by
// its URL does in src/, so those URLs resolve from a chunk as they do from
// the module; the bundle is checked for that after it is written.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Modules that are no entry point of the package but are loaded by path all
 * the same: piscina's test suite imports piscina's private modules
 * (dist/symbols, dist/common), and scripts/test-piscina.js points them at
 * these.
 */
const loadedByPath = ['src/piscina/symbols.ts', 'src/piscina/movable.ts'];

/**
 * The scripts a worker starts with: a thread's and a process's. Each is
 * bundled into one file of its own, with the code it shares with the rest of
 * the bundle copied in, because a worker pays for every file it loads before
 * it can answer. A process worker's script, measured from the process's
 * start to its first line (medians of 12–20 runs, interleaved, over five
 * sessions): 175–181 ms as six files, 155–172 as one; a bare ES module
 * 140–159, tinypool's script 143–157.
 *
 * So a task module that imports `spindle` or `spindle/worker` loads other
 * copies of some modules than its worker's script runs. That is safe as long
 * as the script hands a task module nothing whose identity counts: the value
 * of `workerData` lives on `globalThis` (src/worker/worker-data.ts), errors
 * cross to a task as plain `Error`s with their name, message and code
 * (src/protocol/wire-error.ts), and transfer()'s mark is a `Symbol.for`.
 */
const workerScripts = ['src/worker/entry.ts', 'src/worker/process-entry.cts'];

/**
 * A process worker's script is CommonJS (src/worker/process-entry.cts), and
 * TypeScript has it take its imports with `import x = require('…')`. esbuild
 * bundles a module that is require()d behind a lazy wrapper (`__esm`), whose
 * body V8 parses twice: once when it compiles the script and again, fully,
 * when the wrapper first runs. Read as `import * as x from '…'`, the same
 * modules are hoisted into the script's one scope instead, and the output is
 * still one CommonJS file (its `require` is the script's own). Node 24, two
 * process workers, fresh processes, 20–25 interleaved starts, medians, over
 * four runs: the two children used 2.4–9.8 ms less CPU from the fork to the
 * first answer (with 25 wrappers, 58.6 KB; without, 48.8 KB).
 */
const hoistRequireImports = {
  name: 'hoist-require-imports',
  setup(build) {
    build.onLoad({ filter: /\.cts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return { contents: source.replace(/^import (\w+) = require\(('[^']+')\);$/gm, 'import * as $1 from $2;'), loader: 'ts' };
    });
  },
};

/**
 * What a task module imports (`spindle/worker`) is bundled into one file of
 * its own too, for the same reason: every worker loads it before it can
 * answer, and as three files (the entry and two chunks it shared with the
 * rest of the bundle) it took 3.4–6.8 ms of a worker's start on Node 24 and
 * 4.5–6.2 ms on Node 20, against 0.7–2.5 ms as one file (docs/performance.md).
 * Its copy of the error classes is safe: `instanceof` a Spindle error class
 * holds across copies (src/errors.ts), and workerData and transfer()'s mark
 * live on `globalThis` and `Symbol.for`.
 */
const standaloneEntries = ['src/worker/index.ts'];

/** Matches `new URL('./x.js', import.meta.url)` (or `x.cjs`), the way the code names a file it starts. */
const startedByUrl = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+\.c?js)\1\s*,\s*import\.meta\.url\s*\)/g;

/** The dist/ paths named by an exports map, however nested its conditions. */
function exportTargets(exports) {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

/** The source of each dist/ JavaScript path: dist/worker/index.js → src/worker/index.ts. */
function sourceOf(root, distPath) {
  const source = join(root, 'src', relative('dist', distPath.replace(/^\.\//, '')).replace(/\.js$/, '.ts'));
  if (!existsSync(source)) throw new Error(`${distPath} is an entry point of the package, but ${relative(root, source)} does not exist`);
  return source;
}

/** Every src/ file a module starts by its URL, found by reading src/. */
function filesStartedByUrl(root) {
  const started = new Set();
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const code = readFileSync(file, 'utf8');
    for (const [, , target] of code.matchAll(startedByUrl)) {
      const source = resolve(dirname(file), target.replace(/\.js$/, '.ts').replace(/\.cjs$/, '.cts'));
      if (existsSync(source)) started.add(source);
    }
  }
  return [...started];
}

/** The JavaScript files (and their maps) under `directory`. */
function javascriptFiles(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.c?js(\.map)?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Fails when a bundled file starts a file by a URL that does not resolve to a file of the bundle. */
function checkStartedUrls(outputs) {
  const broken = [];
  for (const output of outputs.filter((file) => /\.c?js$/.test(file))) {
    for (const [, , target] of readFileSync(output, 'utf8').matchAll(startedByUrl)) {
      if (!outputs.includes(resolve(dirname(output), target))) broken.push(`${output} starts ${target}, which is not in the bundle`);
    }
  }
  if (broken.length > 0) throw new Error(broken.join('\n'));
}

/**
 * Bundles src/ into dist/ (JavaScript and source maps), then removes the
 * JavaScript files of dist/ that the bundle no longer has (an older build's
 * chunks, or tsc's one file per module). Returns the paths written.
 */
export async function bundle(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const scripts = [...workerScripts, ...standaloneEntries].map((source) => join(root, source));
  const entryPoints = [
    ...new Set([
      ...[...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})].filter((target) => target.endsWith('.js')).map((target) => sourceOf(root, target)),
      ...filesStartedByUrl(root),
      ...loadedByPath.map((source) => join(root, source)),
    ]),
  ].filter((source) => !scripts.includes(source)).sort();
  const outdir = join(root, 'dist');
  const common = {
    absWorkingDir: root,
    outdir,
    outbase: join(root, 'src'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Dependencies (peer dependencies of the adapters, tsx) stay imports; node: built-ins too.
    packages: 'external',
    // Error classes name themselves after their constructor (`this.constructor.name`).
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    // Every module of src/ is bundled as written: the worker entry points run for their effects.
    ignoreAnnotations: true,
    metafile: true,
    logLevel: 'warning',
  };
  const shared = await build({ ...common, entryPoints, splitting: true, chunkNames: 'chunks/[name]-[hash]' });
  // A CommonJS script (a process worker's, .cts) is bundled as CommonJS, into a .cjs file.
  const own = await Promise.all([
    build({ ...common, entryPoints: scripts.filter((script) => !script.endsWith('.cts')), splitting: false }),
    build({ ...common, entryPoints: scripts.filter((script) => script.endsWith('.cts')), splitting: false, format: 'cjs', outExtension: { '.js': '.cjs' }, plugins: [hoistRequireImports] }),
  ]);
  const outputs = [shared, ...own].flatMap((result) => Object.keys(result.metafile.outputs)).map((output) => resolve(root, output));
  checkStartedUrls(outputs);
  const written = new Set(outputs);
  for (const file of javascriptFiles(outdir)) if (!written.has(file)) rmSync(file);
  return outputs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle(fileURLToPath(new URL('..', import.meta.url)));
}
