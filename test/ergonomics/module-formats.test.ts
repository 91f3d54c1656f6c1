import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { node24, repositoryRoot } from './node-24.js';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const esmTasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);
const commonJsTasks = `${repositoryRoot}test/fixtures-raw/ergo-commonjs-tasks.cjs`;
const typeScriptTasks = `${repositoryRoot}test/fixtures-raw/ergo-typescript-tasks.ts`;
const typeScriptRunner = new URL('../fixtures/ergo-run-typescript.js', import.meta.url);

interface RunnerOutput {
  readonly greeting: { readonly text: string; readonly threadId: number; readonly node: string; readonly moduleUrl: string };
  readonly squared: number;
  readonly node: string;
}

/** Runs the TypeScript task module through the built package in a child Node. */
function runTypeScriptTasksWith(node: string, flags: readonly string[] = []): RunnerOutput {
  const child = spawnSync(node, [...flags, typeScriptRunner.pathname, typeScriptTasks], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, `the child failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as RunnerOutput;
}

const loadedByTsx = (moduleUrl: string): boolean => moduleUrl.includes('tsx-namespace');

describe('task module formats', () => {
  it('loads an ES module task file', async () => {
    await using pool = new Pool<Tasks>(esmTasks, { threads: 1 });
    assert.equal(await pool.run('double', 21), 42);
  });

  it('loads a CommonJS task file whose tasks are the members of module.exports', async () => {
    await using pool = new Pool(commonJsTasks, { threads: 1 });
    assert.equal(await pool.run('triple', 3), 9);
    assert.equal(await pool.run('tripleLater', 4), 12);
    assert.equal(await pool.run('moduleKind'), 'commonjs');
  });

  it('loads a TypeScript task file on the Node running the tests (through tsx before Node 22.18)', async () => {
    await using pool = new Pool(typeScriptTasks, { threads: 1 });
    const greeting = (await pool.run('greet', { name: 'Node' })) as RunnerOutput['greeting'];
    assert.equal(greeting.text, 'Hello, Node.');
    assert.equal(greeting.node, process.version);
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const nativeTypeStripping = major > 22 || (major === 22 && minor >= 18);
    assert.equal(loadedByTsx(greeting.moduleUrl), !nativeTypeStripping);
    assert.equal(await pool.run('square', 9), 81);
  });

  it('runs a TypeScript task file from a script on Node 20 or the Node running the tests', () => {
    const output = runTypeScriptTasksWith(process.execPath);
    assert.equal(output.node, process.version);
    assert.equal(output.greeting.text, 'Hello, Spindle!');
    assert.equal(output.squared, 144);
  });

  it('runs a TypeScript task file on Node 24, with its own type stripping and through tsx when stripping is off', (context) => {
    const node = node24();
    if ('unavailable' in node) {
      if (process.env.CI !== undefined) assert.fail(node.unavailable);
      context.skip(node.unavailable);
      return;
    }
    const native = runTypeScriptTasksWith(node.path);
    assert.match(native.node, /^v24\./);
    assert.match(native.greeting.node, /^v24\./);
    assert.equal(native.greeting.text, 'Hello, Spindle!');
    assert.equal(native.squared, 144);
    assert.equal(loadedByTsx(native.greeting.moduleUrl), false);
    const throughTsx = runTypeScriptTasksWith(node.path, ['--no-experimental-strip-types']);
    assert.match(throughTsx.greeting.node, /^v24\./);
    assert.equal(loadedByTsx(throughTsx.greeting.moduleUrl), true);
    assert.equal(throughTsx.squared, 144);
  });

  it('fails to start with an error naming the file and the Node version when a module cannot be loaded', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'spindle-ergo-'));
    try {
      const broken = join(folder, 'broken-tasks.ts');
      writeFileSync(broken, 'export function broken(: number {\n');
      for (const file of [broken, join(folder, 'missing-tasks.js')]) {
        const pool = new Pool(file, { threads: 1 });
        await assert.rejects(pool.ready, (error: Error & { code?: string }) => {
          assert.equal(error.code, 'ERR_WORKER_START_FAILED');
          assert.ok(error.message.includes(file), `${error.message} names ${file}`);
          assert.ok(error.message.includes(`Node ${process.version}`), `${error.message} names the Node version`);
          return true;
        });
        await pool.destroy();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names the file, line and column of a syntax error in the task module, and keeps the SyntaxError as cause', async () => {
    const pool = new Pool(`${repositoryRoot}test/fixtures-raw/syntax-error.mjs`, { threads: 1 });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: unknown }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.match(error.message, /Unexpected number\n {2}at .*syntax-error\.mjs:5:18\n {4}const broken = 1 2;\n {4} +\^/);
      assert.ok(error.cause instanceof SyntaxError);
      return true;
    });
    await pool.destroy();
  });

  it('says so when the .js task module asked for is missing but its .ts source is beside it', async () => {
    const pool = new Pool(`${repositoryRoot}test/fixtures-raw/only-typescript.js`, { threads: 1 });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: { code?: string } }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.equal(error.cause?.code, 'ERR_MODULE_NOT_FOUND');
      assert.match(error.message, /only-typescript\.ts exists beside it: .*point the pool at the \.ts file/);
      return true;
    });
    await pool.destroy();
  });
});
