import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { Pool } from 'spindle';

type ProbeTasks = typeof import('../fixtures/load-probe-tasks.js');
type AwaitTasks = typeof import('../fixtures/top-level-await-tasks.js');

const fixture = (name: string): URL => new URL(`../fixtures/${name}.js`, import.meta.url);
const raw = (name: string): URL => new URL(`../../../test/fixtures-raw/${name}`, import.meta.url);

const folder = mkdtempSync(join(tmpdir(), 'spindle-module-loading-'));
after(() => {
  rmSync(folder, { recursive: true, force: true });
});
let files = 0;
/** A file a task module writes a line to each time it runs (its SPINDLE_LOAD_MARKS), and how to count them. */
function loadMarks(): { readonly env: Record<string, string>; readonly count: () => number } {
  const file = join(folder, `marks-${String(++files)}`);
  return {
    env: { SPINDLE_LOAD_MARKS: file },
    count: () => {
      try {
        return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}

describe("runtime: 'process', how a worker loads its task module", () => {
  it('loads an ES-module task file with require(), so that Node never starts its asynchronous ES-module loader in the worker; a thread worker uses import()', async () => {
    await using processes = new Pool<ProbeTasks>(fixture('load-probe-tasks'), { threads: 1, runtime: 'process' });
    await using threads = new Pool<ProbeTasks>(fixture('load-probe-tasks'), { threads: 1 });
    assert.equal(await processes.run('loadedWithRequire'), true);
    assert.equal(await threads.run('loadedWithRequire'), false);
  });

  it('gives a task that imports the module its worker loaded that same module, run once', async () => {
    const marks = loadMarks();
    {
      await using pool = new Pool<ProbeTasks>(fixture('load-probe-tasks'), { threads: 1, runtime: 'process', env: marks.env });
      assert.equal(await pool.run('importsItself'), true);
    }
    assert.equal(marks.count(), 1);
  });

  it('loads a module with top-level await through import(), running it once', async () => {
    const marks = loadMarks();
    {
      await using pool = new Pool<AwaitTasks>(fixture('top-level-await-tasks'), { threads: 1, runtime: 'process', env: marks.env });
      assert.equal(await pool.run('answer'), 42);
      assert.equal(await pool.run('loadedWithRequire'), false);
    }
    assert.equal(marks.count(), 1);
  });

  it('loads through import() when the worker starts with --import, which may register module hooks', async () => {
    await using pool = new Pool<ProbeTasks>(fixture('load-probe-tasks'), { threads: 1, runtime: 'process', execArgv: ['--import', fixture('tasks').href] });
    assert.equal(await pool.run('loadedWithRequire'), false);
  });

  it('loads through import() when the worker starts with a --require or -r preload, which may register module hooks too: such a hook applies to the task module', async () => {
    for (const flag of ['--require', '-r']) {
      await using pool = new Pool<ProbeTasks>(fixture('load-probe-tasks'), { threads: 1, runtime: 'process', execArgv: [flag, fileURLToPath(raw('register-answer-hook.cjs'))] });
      assert.equal(await pool.run('hookedBy'), 'hooked', flag);
      assert.equal(await pool.run('loadedWithRequire'), false, flag);
    }
  });

  it('loads a URL with a query through import(), which makes it an instance of its own', async () => {
    const url = fixture('load-probe-tasks');
    url.search = '?instance=2';
    await using pool = new Pool<ProbeTasks>(url, { threads: 1, runtime: 'process' });
    assert.equal(await pool.run('loadedWithRequire'), false);
  });

  it('loads a CommonJS task file, whose tasks are the members of module.exports, and a TypeScript one', async () => {
    {
      await using pool = new Pool(raw('ergo-commonjs-tasks.cjs'), { threads: 1, runtime: 'process' });
      assert.equal(await pool.run('triple', 3), 9);
      assert.equal(await pool.run('tripleLater', 4), 12);
      assert.equal(await pool.run('moduleKind'), 'commonjs');
    }
    await using pool = new Pool(raw('ergo-typescript-tasks.ts'), { threads: 1, runtime: 'process' });
    assert.equal(await pool.run('square', 9), 81);
  });

  it('runs a module that throws while loading once, and fails to start with its error', async () => {
    const marks = loadMarks();
    const pool = new Pool(fixture('throws-at-load-marked'), { threads: 1, runtime: 'process', env: marks.env });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: unknown }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.match(error.message, /fails while loading/);
      return true;
    });
    await pool.destroy();
    assert.equal(marks.count(), 1);
  });

  it("reports a task file that does not exist with import()'s error, ERR_MODULE_NOT_FOUND", async () => {
    const pool = new Pool(join(folder, 'no-such-tasks.js'), { threads: 1, runtime: 'process' });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: { code?: string } }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.equal(error.cause?.code, 'ERR_MODULE_NOT_FOUND');
      return true;
    });
    await pool.destroy();
  });
});
