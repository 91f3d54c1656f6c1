/**
 * The package as npm publishes it: `npm pack` into a temporary folder, what
 * the tarball holds, and a fresh project that installs it offline and uses it
 * as the docs say (import, require, TypeScript settings, the examples).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { expectedOutput, repositoryRoot } from '../examples/child-processes.js';

const run = promisify(execFile);
const tsc = `${repositoryRoot}node_modules/.bin/tsc`;

interface Manifest {
  readonly name: string;
  readonly license?: string;
  readonly author?: string;
  readonly homepage?: string;
  readonly keywords?: readonly string[];
  readonly repository?: { readonly url?: string };
  readonly bugs?: { readonly url?: string };
  readonly scripts?: Readonly<Record<string, string>>;
  readonly exports: unknown;
  readonly sideEffects?: boolean | readonly string[];
}

/** Runs a command; resolves with its exit code and output instead of throwing on failure. */
async function attempt(command: string, args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, timeout: 120_000, encoding: 'utf8' });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** Every string target of an `exports` value, conditions and subpaths included. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(exportTargets);
  return [];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchorsIn = (markdown: string): Set<string> => new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf((match[1] ?? '').replace(/`/g, ''))));

describe('the npm package', () => {
  let folder = '';
  let unpacked = '';
  let tarball = '';
  let files = new Set<string>();
  let manifest: Manifest;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'spindle-package-'));
    // The suite has built dist/ already; prepack would build it again.
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder], { cwd: repositoryRoot, encoding: 'utf8' });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    tarball = join(folder, packed.filename);
    files = new Set(packed.files.map(({ path }) => path));
    unpacked = join(folder, 'unpacked');
    mkdirSync(unpacked);
    await run('tar', ['-xzf', tarball, '-C', unpacked]);
    unpacked = join(unpacked, 'package');
    manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Manifest;
  });

  after(() => {
    if (folder !== '') rmSync(folder, { recursive: true, force: true });
  });

  it('ships the licence, the readme, the changelog, the docs, dist/ and src/, and no tests, build output or snippets', () => {
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'docs/getting-started.md', 'dist/index.js', 'src/index.ts']) {
      assert.ok(files.has(file), `${file} is in the tarball`);
    }
    const unexpected = [...files].filter((file) => !/^(dist|src)\//.test(file) && !/^docs\/[^/]+\.md$/.test(file) && !['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json'].includes(file));
    assert.deepEqual(unexpected, []);
    assert.match(readFileSync(join(unpacked, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 The Spindle authors\n/);
  });

  it('has no source map or declaration map that points at a file missing from the tarball', () => {
    const maps = [...files].filter((file) => file.endsWith('.map'));
    assert.ok(maps.length > 50, `expected the maps of dist/, found ${String(maps.length)}`);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(unpacked, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), sourceRoot, source));
        if (!files.has(target)) missing.push(`${map} → ${target}`);
      }
    }
    for (const file of [...files].filter((name) => /\.(js|d\.ts)$/.test(name))) {
      const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(unpacked, file), 'utf8'))?.[1];
      if (reference !== undefined && !files.has(posix.join(posix.dirname(file), reference))) missing.push(`${file} → ${reference}`);
    }
    assert.deepEqual(missing, []);
  });

  it('has every target of its exports in the tarball', () => {
    const targets = exportTargets(manifest.exports).map((target) => posix.normalize(target));
    assert.ok(targets.includes('dist/index.js') && targets.includes('dist/worker/index.js'));
    assert.deepEqual(targets.filter((target) => !files.has(target)), []);
  });

  it("gives spindle/worker a copy of its own, one file that imports nothing, whose error classes and transfer() marks spindle's recognise", async () => {
    const code = readFileSync(join(unpacked, 'dist', 'worker', 'index.js'), 'utf8');
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?(?:from\s*)?["']([^"']+)["']/gm)].map((match) => match[1] ?? '');
    assert.deepEqual(specifiers, [], 'dist/worker/index.js imports nothing: a worker loads it as one file');
    const main = (await import(join(unpacked, 'dist', 'index.js'))) as Record<string, unknown>;
    const worker = (await import(join(unpacked, 'dist', 'worker', 'index.js'))) as Record<string, unknown>;
    for (const name of ['NotMovableError', 'transfer', 'move', 'ownedCopy']) assert.equal(typeof worker[name], 'function', `spindle/worker exports ${name}`);
    const [MainError, WorkerError] = [main.NotMovableError, worker.NotMovableError] as (new (message: string) => Error)[];
    assert.ok(MainError !== undefined && WorkerError !== undefined);
    assert.ok(new WorkerError('x') instanceof MainError, "spindle's NotMovableError recognises spindle/worker's");
    assert.ok(new MainError('x') instanceof WorkerError, "and spindle/worker's recognises spindle's");
    assert.ok(new WorkerError('x') instanceof (main.SpindleError as new () => Error));
    const marks = (transfer: unknown): symbol[] => Object.getOwnPropertySymbols((transfer as (value: unknown) => object)(new ArrayBuffer(1)));
    assert.deepEqual(marks(worker.transfer), marks(main.transfer), 'transfer() marks its value with the same Symbol.for in both');
  });

  it("starts a thread's or a process's worker from a script of one file that imports nothing: it takes Node's built-ins with process.getBuiltinModule (each file a worker loads, and each built-in imported as an ES module, delays its first answer)", () => {
    for (const script of ['dist/worker/entry.js', 'dist/worker/process-entry.cjs']) {
      const code = readFileSync(join(unpacked, script), 'utf8');
      const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?(?:from\s*)?["']([^"']+)["']/gm)].map((match) => match[1] ?? '');
      assert.deepEqual(specifiers, [], `${script} imports nothing`);
      assert.doesNotMatch(code, /\b(?:import|require)\(\s*["'][./]/, `${script} loads no file of its own later`);
      assert.match(code, /process\.getBuiltinModule\("node:/, `${script} takes its built-ins with process.getBuiltinModule`);
    }
  });

  it("hoists every module of a worker's script into one scope, with no lazy module wrapper (V8 parses a wrapper's body twice on each start; see scripts/bundle.js)", () => {
    for (const script of ['dist/worker/entry.js', 'dist/worker/process-entry.cjs', 'dist/worker/index.js']) {
      const code = readFileSync(join(unpacked, script), 'utf8');
      assert.doesNotMatch(code, /\b__(?:esm|commonJS)\(/, `${script} wraps no module`);
    }
  });

  it('names in sideEffects only files it ships, among them every script a worker or the CLI starts with', () => {
    const sideEffects = manifest.sideEffects;
    assert.ok(sideEffects !== undefined && typeof sideEffects !== 'boolean', 'sideEffects lists files: the worker entry points run for their effects');
    const listed = sideEffects.map((pattern) => posix.normalize(pattern));
    for (const pattern of listed) {
      const matcher = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
      assert.ok([...files].some((file) => matcher.test(file)), `${pattern} matches a file of the tarball`);
    }
    for (const script of ['dist/worker/entry.js', 'dist/worker/process-entry.cjs', 'dist/piscina/worker-module.js', 'dist/cluster/cli.js']) {
      assert.ok(listed.includes(script), `${script} is listed`);
    }
  });

  it('runs no script when installed, and names its licence, author, repository, homepage, bug tracker and keywords', () => {
    const installScripts = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'].filter((name) => manifest.scripts?.[name] !== undefined);
    assert.deepEqual(installScripts, []);
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.author !== undefined && manifest.author !== '');
    assert.match(manifest.repository?.url ?? '', /github\.com\/spindle-js\/spindle/);
    assert.match(manifest.homepage ?? '', /^https:\/\//);
    assert.match(manifest.bugs?.url ?? '', /^https:\/\/.+\/issues$/);
    assert.ok((manifest.keywords ?? []).length >= 3);
  });

  it('links from its README only to files that exist (docs/ in the tarball) and to headings that exist', () => {
    const readme = readFileSync(join(unpacked, 'README.md'), 'utf8');
    const problems: string[] = [];
    for (const [, target = ''] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      let page = readme;
      if (path !== '') {
        const inPackage = path.startsWith('docs/');
        if (inPackage ? !files.has(path) : !existsSync(join(repositoryRoot, path))) {
          problems.push(`${target}: ${inPackage ? 'not in the tarball' : 'not in the repository'}`);
          continue;
        }
        if (!path.endsWith('.md')) continue;
        page = readFileSync(join(inPackage ? unpacked : repositoryRoot, path), 'utf8');
      }
      if (anchor !== undefined && !anchorsIn(page).has(anchor)) problems.push(`${target}: no heading for #${anchor}`);
    }
    assert.deepEqual(problems, []);
  });

  describe('installed into a new project, offline', () => {
    let project = '';

    before(async () => {
      project = join(folder, 'project');
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
      await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], { cwd: project, timeout: 120_000 });
      // Types for `tsc`, borrowed from this repository instead of downloaded.
      mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
      symlinkSync(join(repositoryRoot, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
      // What `npm install --save-dev tsx` gives the project, linked from this repository.
      symlinkSync(join(repositoryRoot, 'node_modules', 'tsx'), join(project, 'node_modules', 'tsx'), 'dir');
      for (const example of ['esm', 'commonjs', 'typescript']) cpSync(join(repositoryRoot, 'examples', example), join(project, example), { recursive: true });
    });

    it('loads spindle and spindle/worker with import and with require', async () => {
      const script = [
        "const spindle = await import('spindle');",
        "const worker = await import('spindle/worker');",
        "const { createRequire } = await import('node:module');",
        'const require = createRequire(import.meta.url);',
        "console.log(typeof spindle.Pool, typeof worker.transfer, require('spindle').Pool === spindle.Pool, typeof require('spindle/worker').transfer);",
      ].join('\n');
      const { code, output } = await attempt(process.execPath, ['--input-type=module', '-e', script], project);
      assert.equal(code, 0, output);
      assert.equal(output.trim(), 'function function true function');
    });

    it('runs the ES module and CommonJS examples against the installed package', async () => {
      for (const file of ['esm/main.mjs', 'commonjs/main.cjs']) {
        const { code, output } = await attempt(process.execPath, [file], project);
        assert.equal(code, 0, output);
        assert.equal(output.trim(), expectedOutput(`examples/${file}`));
      }
    });

    it('runs the TypeScript example through tsx, and compiled with the tsconfig.json that docs/getting-started.md shows', async () => {
      const expected = expectedOutput('examples/typescript/main.ts');
      const throughTsx = await attempt(process.execPath, [join(project, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], join(project, 'typescript'));
      assert.equal(throughTsx.code, 0, throughTsx.output);
      assert.equal(throughTsx.output.trim(), expected);
      const compiled = await attempt(tsc, ['-p', 'tsconfig.json'], join(project, 'typescript'));
      assert.equal(compiled.code, 0, compiled.output);
      const ran = await attempt(process.execPath, ['main.js'], join(project, 'typescript'));
      assert.equal(ran.code, 0, ran.output);
      assert.equal(ran.output.trim(), expected);
    });

    it('compiles a CommonJS TypeScript file with module nodenext, and gives the errors docs/getting-started.md quotes under node16 and node10', async () => {
      const commonJs = join(project, 'commonjs-typescript');
      mkdirSync(commonJs);
      writeFileSync(join(commonJs, 'package.json'), JSON.stringify({ type: 'commonjs' }));
      writeFileSync(join(commonJs, 'index.ts'), "import { Pool } from 'spindle';\nexport const pool = new Pool(__dirname + '/tasks.js');\n");
      const compile = (module: string, resolution: string): Promise<{ code: number; output: string }> =>
        attempt(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--ignoreDeprecations', '6.0', '--module', module, '--moduleResolution', resolution, 'index.ts'], commonJs);

      const nodeNext = await compile('nodenext', 'nodenext');
      assert.equal(nodeNext.code, 0, nodeNext.output);

      const guide = readFileSync(join(repositoryRoot, 'docs', 'getting-started.md'), 'utf8');
      const quoted = (code: string): RegExp => {
        const text = [...guide.matchAll(/```text\n([\s\S]*?)```/g)].map((match) => match[1] ?? '').find((block) => block.includes(code));
        assert.ok(text !== undefined, `docs/getting-started.md quotes ${code}`);
        const words = text.trim().split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*'));
        return new RegExp(words.join('\\s+'));
      };
      const node16 = await compile('node16', 'node16');
      assert.notEqual(node16.code, 0);
      assert.match(node16.output, quoted('TS1479'));
      const node10 = await compile('commonjs', 'node10');
      assert.notEqual(node10.code, 0);
      assert.match(node10.output, quoted('TS2307'));
    });
  });
});
