import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, type FaultTasks } from '../faults/fault-helpers.js';

const allowed = mkdtempSync(join(tmpdir(), 'spindle-allowed-'));
const outside = mkdtempSync(join(tmpdir(), 'spindle-outside-'));
writeFileSync(join(allowed, 'readable.txt'), 'you may read this');
writeFileSync(join(outside, 'secret.txt'), 'you may not read this');
after(() => {
  rmSync(allowed, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("permissions (runtime: 'process')", () => {
  it('lets task code read what it was granted and refuses the rest, a write and a child process with ERR_ACCESS_DENIED; the pool serves on', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process', permissions: { fsRead: [allowed] } });
    assert.equal(await pool.run('readFileAt', join(allowed, 'readable.txt')), 17);
    assert.equal(await pool.run('readFileAt', join(outside, 'secret.txt')).catch(codeOf), 'ERR_ACCESS_DENIED');
    assert.equal(await pool.run('writeFileAt', join(allowed, 'written.txt')).catch(codeOf), 'ERR_ACCESS_DENIED');
    assert.equal(await pool.run('spawnChild').catch(codeOf), 'ERR_ACCESS_DENIED');
    assert.equal(await pool.run('succeed', 7), 7);
    assert.equal(pool.stats().workerCrashes, 0);
  });

  it('grants writes and child processes when asked', async () => {
    await using pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, runtime: 'process', permissions: { fsRead: [allowed], fsWrite: [allowed], childProcess: true } });
    assert.equal(await pool.run('writeFileAt', join(allowed, 'written.txt')), join(allowed, 'written.txt'));
    assert.equal(await pool.run('spawnChild'), 'child');
  });

  it('refuses permissions for threads, and malformed ones, with ERR_INVALID_OPTION', () => {
    assert.throws(() => new Pool(faultTasksUrl, { permissions: { fsRead: [allowed] } }), { code: 'ERR_INVALID_OPTION', message: /runtime: 'process'/ });
    assert.throws(() => new Pool(faultTasksUrl, { runtime: 'process', permissions: { fsRead: 'everything' as never } }), { code: 'ERR_INVALID_OPTION', message: /permissions\.fsRead/ });
    assert.throws(() => new Pool(faultTasksUrl, { runtime: 'process', permissions: { network: true } as never }), { code: 'ERR_INVALID_OPTION', message: /permissions\.network/ });
    assert.throws(() => new Pool(faultTasksUrl, { runtime: 'fibre' as never }), { code: 'ERR_INVALID_OPTION', message: /runtime/ });
  });
});
