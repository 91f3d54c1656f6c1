import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool, type PoolOptions } from 'spindle';
import { fixture } from './helpers.js';

const invalid: [string, PoolOptions, RegExp][] = [
  ['threads', { threads: 0 }, /Expected `threads` to be an integer from 1 to threadLimit \(\d+\) or \{ min, max \}, got `0` \(number\)/],
  ['threads', { threads: 1.5 }, /`threads`.*got `1\.5`/],
  ['threads.min', { threads: { min: 3, max: 2 } }, /Expected `threads\.min` to be an integer from 0 to threads\.max \(2\), got `3` \(number\)/],
  ['threads.max', { threads: { max: 0 } }, /Expected `threads\.max` to be an integer from 1 to threadLimit \(\d+\), got `0`/],
  ['idleTimeout', { idleTimeout: -1 }, /Expected `idleTimeout` to be a finite number >= 0, got `-1` \(number\)/],
  ['maxQueue', { maxQueue: -5 }, /Expected `maxQueue` to be an integer >= 0 or Infinity, got `-5`/],
  ['timeout', { timeout: 0 }, /Expected `timeout` to be a finite number > 0, got `0`/],
  ['queueTimeout', { queueTimeout: Number.NaN }, /Expected `queueTimeout` to be a finite number > 0, got `NaN`/],
  ['retries', { retries: 1.5 }, /Expected `retries` to be an integer >= 0, got `1\.5`/],
  ['retryOn', { retryOn: 'yes' as unknown as () => boolean }, /Expected `retryOn` to be a function, got `yes` \(string\)/],
  ['abortGrace', { abortGrace: Infinity }, /Expected `abortGrace` to be a finite number >= 0/],
  ['maxTasksPerWorker', { maxTasksPerWorker: 0 }, /Expected `maxTasksPerWorker` to be an integer >= 1 or Infinity, got `0`/],
  ['maxHeapUsedMb', { maxHeapUsedMb: -1 }, /Expected `maxHeapUsedMb` to be a finite number > 0/],
  ['resourceLimits', { resourceLimits: { maxOldGenerationSizeMb: -1 } }, /Expected `resourceLimits\.maxOldGenerationSizeMb` to be a finite number > 0/],
  ['env', { env: { SECRET: 1 as unknown as string } }, /Expected `env\.SECRET` to be a string, got `1` \(number\)/],
  ['env', { env: [1 as unknown as string] }, /Expected `env` to be an object of strings or an array of variable names/],
  ['execArgv', { execArgv: [1 as unknown as string] }, /Expected `execArgv` to be an array of strings or a function, got `\[1\]` \(array\)/],
  ['busyPollUs', { busyPollUs: -1 }, /Expected `busyPollUs` to be a finite number >= 0, got `-1` \(number\)/],
  ['name', { name: '' }, /Expected `name` to be a non-empty string, got `` \(string\)/],
  ['an unknown option', { thread: 2 } as unknown as PoolOptions, /Expected `thread` to be one of the known options .*got `thread` \(an unknown option\)/],
];

describe('pool options', () => {
  for (const [name, options, message] of invalid) {
    it(`rejects an invalid ${name} with ERR_INVALID_OPTION naming the option, what was expected and what was given`, () => {
      assert.throws(() => new Pool(fixture('tasks'), options), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ERR_INVALID_OPTION');
        assert.equal(error.name, 'InvalidOptionError');
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('rejects a worker module that is neither a path nor a URL with ERR_INVALID_ARGUMENT', () => {
    assert.throws(() => new Pool(42 as unknown as string), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => new Pool(''), { code: 'ERR_INVALID_ARGUMENT' });
  });

  it('rejects options that are not an object', () => {
    assert.throws(() => new Pool(fixture('tasks'), null as unknown as PoolOptions), { code: 'ERR_INVALID_OPTION' });
  });

  it('accepts a dynamic size with only a maximum, starting no worker until work arrives', async () => {
    await using pool = new Pool(fixture('tasks'), { threads: { max: 2 } });
    await pool.ready;
    assert.equal(pool.stats().workers.total, 0);
    assert.equal(await pool.run('add', { a: 1, b: 2 }), 3);
    assert.ok(pool.stats().workers.total >= 1);
  });

  it('passes an explicit environment, an allowlist, resource limits and execArgv to the workers', async () => {
    process.env.SPINDLE_TEST_VISIBLE = 'visible';
    process.env.SPINDLE_TEST_SECRET = 'secret';
    await using allowlisted = new Pool(fixture('tasks'), {
      threads: 1,
      env: ['SPINDLE_TEST_VISIBLE'],
      execArgv: (index) => (index >= 0 ? ['--no-warnings'] : []),
      resourceLimits: { maxOldGenerationSizeMb: 64 },
      name: 'options-test',
    });
    assert.deepEqual(await allowlisted.run('readEnv', ['SPINDLE_TEST_VISIBLE', 'SPINDLE_TEST_SECRET']), ['visible', null]);
    await using explicit = new Pool(fixture('tasks'), { threads: 1, env: { ONLY: 'this' }, execArgv: [] });
    assert.deepEqual(await explicit.run('readEnv', ['ONLY', 'SPINDLE_TEST_SECRET']), ['this', null]);
  });

  it('rejects ready with ERR_WORKER_START_FAILED when execArgv holds a flag workers do not accept', async () => {
    const pool = new Pool(fixture('tasks'), { threads: 1, execArgv: ['--title=nope'] });
    await assert.rejects(pool.ready, (error: Error & { code?: string; cause?: { code?: string } }) => {
      assert.equal(error.code, 'ERR_WORKER_START_FAILED');
      assert.equal(error.cause?.code, 'ERR_WORKER_INVALID_EXEC_ARGV');
      return true;
    });
    assert.equal(pool.stats().state, 'degraded');
    await assert.rejects(pool.run('add', { a: 1, b: 1 }), { code: 'ERR_POOL_DEGRADED' });
    await pool.destroy();
  });

  it('grows from min 0 to run a task when maxQueue is 0, rather than rejecting every run', async () => {
    await using pool = new Pool(fixture('tasks'), { threads: { min: 0, max: 2 }, maxQueue: 0 });
    assert.equal(await pool.run('add', { a: 1, b: 2 }), 3);
  });

  it('with maxQueue 0 grows to its maximum before it rejects, then rejects what no worker can take', async () => {
    await using pool = new Pool(fixture('tasks'), { threads: { min: 1, max: 2 }, maxQueue: 0 });
    await pool.ready;
    const first = pool.run('sleep', 300);
    const second = pool.run('sleep', 300);
    await assert.rejects(pool.run('sleep', 300), { code: 'ERR_QUEUE_FULL' });
    assert.deepEqual(await Promise.all([first, second]), [300, 300]);
    // The second worker was asked for when the second task came; on a loaded machine it may finish loading after both.
    for (const until = Date.now() + 10_000; pool.stats().workersStarted < 2 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(pool.stats().workersStarted, 2);
  });

  it('refuses a thread count past threadLimit, and accepts it when threadLimit is raised', () => {
    assert.throws(() => new Pool(fixture('tasks'), { threads: 10_000 }), { code: 'ERR_INVALID_OPTION', message: /threadLimit/ });
    assert.throws(() => new Pool(fixture('tasks'), { threads: { max: 10_000 } }), { code: 'ERR_INVALID_OPTION', message: /threadLimit/ });
    assert.throws(() => new Pool(fixture('tasks'), { threadLimit: 0 }), { code: 'ERR_INVALID_OPTION' });
    const pool = new Pool(fixture('tasks'), { threads: 200, threadLimit: 200 });
    void pool.destroy();
  });

  it('returns from the constructor without starting its workers synchronously, however many there are', async () => {
    const started = performance.now();
    const pool = new Pool(fixture('tasks'), { threads: 64, threadLimit: 64 });
    const constructorMs = performance.now() - started;
    try {
      assert.ok(constructorMs < 50, `the constructor took ${constructorMs.toFixed(1)} ms`);
      assert.equal(pool.stats().workers.starting, 64, 'all 64 are on their way');
    } finally {
      await pool.destroy();
    }
  });

  it('takes its size from SPINDLE_THREADS when threads is not given, and an explicit threads wins', async () => {
    const saved = process.env.SPINDLE_THREADS;
    process.env.SPINDLE_THREADS = '3';
    try {
      const sized = new Pool(fixture('tasks'));
      const explicit = new Pool(fixture('tasks'), { threads: 1 });
      assert.equal(sized.stats().workers.starting, 3);
      assert.equal(explicit.stats().workers.starting, 1);
      await Promise.all([sized.destroy(), explicit.destroy()]);
      process.env.SPINDLE_THREADS = 'many';
      assert.throws(() => new Pool(fixture('tasks')), { code: 'ERR_INVALID_OPTION', message: /SPINDLE_THREADS/ });
    } finally {
      if (saved === undefined) delete process.env.SPINDLE_THREADS;
      else process.env.SPINDLE_THREADS = saved;
    }
  });
});
