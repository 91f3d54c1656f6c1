import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';

type Tasks = typeof import('../fixtures/ergo-tasks.js');
const tasks = new URL('../fixtures/ergo-tasks.js', import.meta.url);
const writeLinesScript = new URL('../fixtures/ergo-write-lines.js', import.meta.url);

function runScript(script: URL, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script.pathname, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses `key=value` pairs of a line written by the writeLines task. */
function fields(line: string): Record<string, number> {
  return Object.fromEntries(
    line
      .split(' ')
      .slice(1)
      .map((pair) => pair.split('='))
      .map(([key = '', value = '']) => [key, Number(value)]),
  );
}

describe('debugging and logs', () => {
  it('gives each worker its own Node flags when execArgv is a function of the worker index', async () => {
    await using pool = new Pool<Tasks>(tasks, { threads: 2, execArgv: (index) => [`--inspect-port=${String(9300 + index)}`] });
    await pool.ready;
    const reports = await Promise.all(Array.from({ length: 6 }, () => pool.run('execArgvAfter', 40)));
    const flagsByThread = new Map(reports.map((report) => [report.threadId, report.execArgv.join(' ')]));
    assert.equal(flagsByThread.size, 2, 'both workers ran tasks');
    assert.deepEqual([...flagsByThread.values()].sort(), ['--inspect-port=9300', '--inspect-port=9301']);
  });

  it('keeps a host variable out of the workers when env is an allowlist that does not name it', async () => {
    process.env.SPINDLE_ERGO_SECRET = 'hunter2';
    process.env.SPINDLE_ERGO_ALLOWED = 'visible';
    try {
      const names = ['SPINDLE_ERGO_SECRET', 'SPINDLE_ERGO_ALLOWED'];
      {
        await using allowlisted = new Pool<Tasks>(tasks, { threads: 1, env: ['SPINDLE_ERGO_ALLOWED', 'SPINDLE_ERGO_UNSET'] });
        assert.deepEqual(await allowlisted.run('environment', [...names, 'SPINDLE_ERGO_UNSET']), {
          SPINDLE_ERGO_SECRET: undefined,
          SPINDLE_ERGO_ALLOWED: 'visible',
          SPINDLE_ERGO_UNSET: undefined,
        });
      }
      {
        await using explicit = new Pool<Tasks>(tasks, { threads: 1, env: { ONLY_THIS: '1' } });
        assert.deepEqual(await explicit.run('environment', [...names, 'ONLY_THIS']), {
          SPINDLE_ERGO_SECRET: undefined,
          SPINDLE_ERGO_ALLOWED: undefined,
          ONLY_THIS: '1',
        });
      }
      {
        await using byDefault = new Pool<Tasks>(tasks, { threads: 1 });
        assert.deepEqual(await byDefault.run('environment', names), { SPINDLE_ERGO_SECRET: 'hunter2', SPINDLE_ERGO_ALLOWED: 'visible' });
      }
    } finally {
      delete process.env.SPINDLE_ERGO_SECRET;
      delete process.env.SPINDLE_ERGO_ALLOWED;
    }
  });

  it('tells a task its thread id, the same one stats().perWorker and workerStart report', async () => {
    const pool = new Pool<Tasks>(tasks, { threads: 2 });
    const started: number[] = [];
    pool.on('workerStart', (info) => started.push(info.threadId));
    await pool.ready;
    const seen = new Set(await Promise.all(Array.from({ length: 6 }, () => pool.run('execArgvAfter', 30).then((report) => report.threadId))));
    const perWorker = pool.stats().perWorker.map((worker) => worker.threadId);
    assert.deepEqual([...seen].sort(), [...perWorker].sort());
    assert.deepEqual([...started].sort(), [...perWorker].sort());
    assert.ok(perWorker.includes(await pool.run('threadId')));
    await pool.close();
  });

  it('loses and reorders none of the lines workers write to stdout and stderr under load', async () => {
    const taskCount = 400;
    const linesPerTask = 5;
    const { code, stdout, stderr } = await runScript(writeLinesScript, [String(taskCount), String(linesPerTask)]);
    assert.equal(code, 0, stderr);
    const outLines = stdout.split('\n').filter((line) => line.startsWith('out '));
    const errLines = stderr.split('\n').filter((line) => line.startsWith('err '));
    assert.equal(outLines.length, taskCount * linesPerTask);
    assert.equal(errLines.length, taskCount);
    assert.ok(stdout.trimEnd().endsWith('main done'), 'the workers’ output came out before the script ended');
    const lastSeqByThread = new Map<number, number>();
    const linesByTask = new Map<number, number[]>();
    for (const line of outLines) {
      const { thread = -1, seq = -1, task = -1, line: lineNumber = -1 } = fields(line);
      assert.equal(seq, (lastSeqByThread.get(thread) ?? 0) + 1, `thread ${String(thread)} wrote seq ${String(seq)} out of order`);
      lastSeqByThread.set(thread, seq);
      const lines = linesByTask.get(task) ?? [];
      lines.push(lineNumber);
      linesByTask.set(task, lines);
    }
    assert.equal(lastSeqByThread.size, 2, 'both workers wrote');
    assert.equal(linesByTask.size, taskCount);
    for (const lines of linesByTask.values()) assert.deepEqual(lines, [0, 1, 2, 3, 4]);
    const errTasks = new Set(errLines.map((line) => fields(line).task));
    assert.equal(errTasks.size, taskCount);
  });
});
