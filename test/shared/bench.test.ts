/** `npm run bench:shared` at a tiny scale: every case of a target runs, every variant gives a figure, every target is judged. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CASES } from '../../bench/shared/cases.js';
import { TEST_TIMEOUT_MS } from './start-pool.js';

const TARGET_CASES = ['uncontended', 'contended', 'async', 'ring-4k', 'argument-1m'] as const;

describe('npm run bench:shared, at a tiny scale', () => {
  it('measures every variant of the cases behind the targets, in one round, and judges all five targets', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'spindle-bench-shared-'));
    const ended = new AbortController();
    t.after(async () => {
      ended.abort();
      await rm(directory, { recursive: true, force: true });
    });
    // Coverage of a dozen short benchmark processes is not what this test is about, and collecting it slows them down.
    const env = { ...process.env };
    delete env.NODE_V8_COVERAGE;
    const script = fileURLToPath(new URL('../../bench/shared/run.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--rounds', '1', '--scale', '0.01', '--cases', TARGET_CASES.join(',')], {
      cwd: directory,
      env,
      timeout: TEST_TIMEOUT_MS - 5_000,
      killSignal: 'SIGKILL',
      signal: ended.signal,
    });
    const saved = JSON.parse(await readFile(join(directory, '.bench-results', 'shared.json'), 'utf8')) as { samples: Record<string, number[]> };
    for (const name of TARGET_CASES) {
      assert.match(stdout, new RegExp(`^${name}: `, 'm'));
      for (const variant of CASES[name].variants) {
        const values = saved.samples[`${name}\u0000${variant}`] ?? [];
        assert.ok(values.length === 1 && values.every((value) => Number.isFinite(value) && value > 0), `${name} × ${variant}: ${JSON.stringify(values)}`);
      }
    }
    const judged = stdout.split('\n').filter((line) => /^ {2}[✔✖] /.test(line));
    assert.equal(judged.length, 5, stdout);
  });
});
