/** `npm run bench:shared` at a tiny scale: every case of a target runs, every variant gives a figure, every target is judged. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASES } from '../../bench/shared/cases.js';
import { runBenchScript } from '../bench-script.js';
import { TEST_TIMEOUT_MS } from './start-pool.js';

const TARGET_CASES = ['uncontended', 'contended', 'async', 'ring-4k', 'argument-1m'] as const;

describe('npm run bench:shared, at a tiny scale', () => {
  it('measures every variant of the cases behind the targets, in one round, and judges all five targets', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const ended = new AbortController();
    t.after(() => {
      ended.abort();
    });
    const run = await runBenchScript(new URL('../../bench/shared/run.js', import.meta.url), ['--rounds', '1', '--scale', '0.01', '--cases', TARGET_CASES.join(',')], {
      timeoutMs: TEST_TIMEOUT_MS - 5_000,
      resultsFile: 'shared.json',
      signal: ended.signal,
    });
    const stdout = run.stdout;
    const saved = run.saved as { samples: Record<string, number[]> };
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
