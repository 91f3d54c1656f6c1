import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOptions } from '../../src/options/resolve-options.js';

describe('the default busyPollUs', () => {
  it("is 50 µs for a thread worker and 200 µs for a process worker, whose answer first has to wake the pool's process", () => {
    assert.equal(resolveOptions({}).busyPollUs, 50);
    assert.equal(resolveOptions({ runtime: 'thread' }).busyPollUs, 50);
    assert.equal(resolveOptions({ runtime: 'process' }).busyPollUs, 200);
  });

  it('gives way to the option for either runtime', () => {
    assert.equal(resolveOptions({ runtime: 'process', busyPollUs: 50 }).busyPollUs, 50);
    assert.equal(resolveOptions({ runtime: 'thread', busyPollUs: 0 }).busyPollUs, 0);
  });
});
