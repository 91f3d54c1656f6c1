import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preloadFlag, preloadsAModule } from '../../src/protocol/preload-flags.js';

describe("Node's flags that preload a module", () => {
  it('recognises each preload flag, with its module written after = or left to the next argument', () => {
    assert.deepEqual(preloadFlag('--import=tsx'), { inlineValue: 'tsx' });
    assert.deepEqual(preloadFlag('--require=./setup.cjs'), { inlineValue: './setup.cjs' });
    assert.deepEqual(preloadFlag('--experimental-loader=./hooks.mjs'), { inlineValue: './hooks.mjs' });
    for (const flag of ['--import', '--require', '-r', '--loader', '--experimental-loader']) assert.deepEqual(preloadFlag(flag), { inlineValue: undefined }, flag);
  });

  it('takes no other flag for a preload, not even one that starts like one', () => {
    for (const flag of ['--imports', '--require-module', '-rx', '--no-warnings', '--conditions=import', 'tsx', '']) assert.equal(preloadFlag(flag), undefined, flag);
  });

  it('finds a preload among the flags or in a NODE_OPTIONS string, and none where there is none', () => {
    assert.equal(preloadsAModule(['--no-warnings', '-r', './setup.cjs']), true);
    assert.equal(preloadsAModule(['--no-warnings'], '--max-old-space-size=512  --import=tsx'), true);
    assert.equal(preloadsAModule(['--no-warnings'], '--conditions=import --max-old-space-size=512'), false);
    assert.equal(preloadsAModule([]), false);
  });
});
