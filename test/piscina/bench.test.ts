/** `npm run bench:piscina` at a tiny scale: piscina's own benchmarks run against all three, and every figure is printed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUPS } from '../../bench/piscina/spindle-cases.js';
import { runBenchScript } from '../bench-script.js';

/** About 12 processes of a second or two each on a loaded machine: generous. */
const TEST_TIMEOUT_MS = 120_000;
const IMPLEMENTATIONS = ['piscina', 'spindle/piscina', 'spindle'];

describe('npm run bench:piscina, at a tiny scale', () => {
  it('measures every case of every piscina benchmark group against piscina, spindle/piscina and Spindle Pool, and prints each figure and ratio', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const ended = new AbortController();
    t.after(() => {
      ended.abort();
    });
    const run = await runBenchScript(new URL('../../bench/piscina/run.js', import.meta.url), ['--rounds', '1', '--scale', '0.02'], {
      timeoutMs: TEST_TIMEOUT_MS - 5_000,
      resultsFile: 'piscina.json',
      signal: ended.signal,
    });
    const stdout = run.stdout;
    const saved = run.saved as { samples: Record<string, number[]> };
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
