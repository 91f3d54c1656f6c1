/** `npm run bench:piscina` at a tiny scale: piscina's own benchmarks run against all three, and every figure is printed. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GROUPS } from '../../bench/piscina/spindle-cases.js';

/** About 12 processes of a second or two each on a loaded machine: generous. */
const TEST_TIMEOUT_MS = 120_000;
const IMPLEMENTATIONS = ['piscina', 'spindle/piscina', 'spindle'];

describe('npm run bench:piscina, at a tiny scale', () => {
  it('measures every case of every piscina benchmark group against piscina, spindle/piscina and Spindle Pool, and prints each figure and ratio', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const directory = await mkdtemp(join(tmpdir(), 'spindle-bench-piscina-'));
    const ended = new AbortController();
    t.after(async () => {
      ended.abort();
      await rm(directory, { recursive: true, force: true });
    });
    // Coverage of a dozen short benchmark processes is not what this test is about, and collecting it slows them down.
    const env = { ...process.env };
    delete env.NODE_V8_COVERAGE;
    const script = fileURLToPath(new URL('../../bench/piscina/run.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--rounds', '1', '--scale', '0.02'], {
      cwd: directory,
      env,
      timeout: TEST_TIMEOUT_MS - 5_000,
      killSignal: 'SIGKILL',
      signal: ended.signal,
    });
    const saved = JSON.parse(await readFile(join(directory, '.bench-results', 'piscina.json'), 'utf8')) as { samples: Record<string, number[]> };
    const cases = Object.values(GROUPS).flat();
    assert.equal(cases.length, 7);
    for (const name of cases) {
      for (const metric of ['opsPerSecond', 'cpuUsPerOp']) {
        for (const implementation of IMPLEMENTATIONS) {
          const values = saved.samples[`${metric}\u0000${name}\u0000${implementation}`] ?? [];
          assert.ok(values.length === 1 && values.every((value) => Number.isFinite(value) && value > 0), `${metric} of ${name} × ${implementation}: ${JSON.stringify(values)}`);
        }
      }
      // A row in each table (ops/s, CPU per call): three figures, then three ratios with their range.
      const rows = stdout.split('\n').filter((line) => line.startsWith(`${name} `));
      assert.equal(rows.length, 2, `two rows for ${name} in:\n${stdout}`);
      for (const row of rows) assert.match(row, /^\S+ +[\d.]+ +[\d.]+ +[\d.]+ +(\d+\.\d\d× \(\d+\.\d\d–\d+\.\d\d\) +){2}\d+\.\d\d× \(\d+\.\d\d–\d+\.\d\d\)$/, row);
    }
  });
});
