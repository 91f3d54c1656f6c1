import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inheritedProcessFlags } from '../../src/runtime/process-flags.js';

describe("a process worker's inherited Node flags", () => {
  it('keeps a flag and the value given as its next word together, whatever the flag', () => {
    assert.deepEqual(inheritedProcessFlags(['--import', 'tsx', '--disable-warning', 'ExperimentalWarning', '--title', 'api', '-r', './setup.cjs', '--no-warnings']), [
      '--import',
      'tsx',
      '--disable-warning',
      'ExperimentalWarning',
      '--title',
      'api',
      '-r',
      './setup.cjs',
      '--no-warnings',
    ]);
  });

  it('drops a flag that is not inherited together with the value given as its next word, so the value is never taken for the script', () => {
    assert.deepEqual(
      inheritedProcessFlags(['--inspect-port', '9300', '--cpu-prof', '--cpu-prof-dir', 'profiles', '--cpu-prof-interval', '50', '--diagnostic-dir', 'reports', '--test-reporter', 'dot', '--input-type', 'module', '-e', 'code', '--conditions', 'development']),
      ['--conditions', 'development'],
    );
  });

  it('drops flags written with = whole and keeps the flags around them', () => {
    assert.deepEqual(inheritedProcessFlags(['--max-old-space-size=4096', '--enable-source-maps', '--inspect=127.0.0.1:9229', '--conditions=development']), ['--enable-source-maps', '--conditions=development']);
  });
});
