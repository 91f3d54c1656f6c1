import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { createJobProcessor, type TaskRunner } from '../../../src/bullmq/job-processor.js';
import { EVENT_KEY } from '../../../src/bullmq/progress-relay.js';
import type { RunOptions } from '../../../src/index.js';
import { isTransferred } from '../../../src/protocol/transfer.js';

interface Call {
  readonly name: string;
  readonly argument: unknown;
  readonly options: RunOptions;
}

/** A pool that records each call and answers with what `answer` returns. */
function fakePool(answer: (call: Call) => Promise<unknown>): TaskRunner & { readonly calls: Call[]; readonly drainWaits: number } {
  const calls: Call[] = [];
  let drainWaits = 0;
  return {
    calls,
    get drainWaits() {
      return drainWaits;
    },
    run(name, argument, options) {
      const call = { name, argument, options };
      calls.push(call);
      return answer(call);
    },
    onDrain() {
      drainWaits++;
      return Promise.resolve();
    },
  };
}

/** A job as BullMQ hands it to a processor, recording its progress writes. */
function fakeJob(name: string, data: unknown): Job & { readonly progressWrites: unknown[] } {
  const progressWrites: unknown[] = [];
  return {
    id: '7',
    name,
    data,
    opts: {},
    progressWrites,
    updateProgress(progress: unknown) {
      progressWrites.push(progress);
      return Promise.resolve();
    },
  } as unknown as Job & { readonly progressWrites: unknown[] };
}

const processorFor = (pool: TaskRunner, queueFull: () => void = () => undefined): ReturnType<typeof createJobProcessor> =>
  createJobProcessor({ pool, retryOn: () => true, cancelledEarlier: () => undefined, reportError: (error) => assert.fail(String(error)), queueFull });

const queueFullError = (): Error => Object.assign(new Error('The queue is full'), { code: 'ERR_QUEUE_FULL' });

describe('the job processor of a fleet node', () => {
  it("does not fail a job that finds the pool's queue full: it says so, waits for room, and runs it then, as often as it must", async () => {
    let refusals = 2;
    const pool = fakePool(() => (refusals-- > 0 ? Promise.reject(queueFullError()) : Promise.resolve(81)));
    let queueFull = 0;
    assert.equal(await processorFor(pool, () => queueFull++)(fakeJob('square', 9), 'token', undefined), 81);
    assert.equal(pool.calls.length, 3);
    assert.equal(pool.drainWaits, 2, 'it waited for room before each new try');
    assert.equal(queueFull, 1);
  });

  it('fails a job with the error of a later try when that is not a full queue', async () => {
    let calls = 0;
    const pool = fakePool(() => (calls++ === 0 ? Promise.reject(queueFullError()) : Promise.reject(Object.assign(new Error('closed'), { code: 'ERR_POOL_CLOSED' }))));
    await assert.rejects(processorFor(pool)(fakeJob('square', 9), 'token', undefined), /ERR_POOL_CLOSED/);
  });

  it("runs job.name on the pool with the job's data, BullMQ's signal and no retries of its own, and writes no progress for a task that reports none", async () => {
    const pool = fakePool(() => Promise.resolve(42));
    const job = fakeJob('fib', 9);
    const signal = new AbortController().signal;
    assert.equal(await processorFor(pool)(job, 'token', signal), 42);
    assert.equal(pool.calls.length, 1);
    const [call] = pool.calls;
    assert.equal(call?.name, 'fib');
    assert.equal(call.argument, 9, 'a primitive argument goes as it is, not wrapped for transfer');
    assert.equal(call.options.retries, 0);
    assert.equal(call.options.signal, signal);
    assert.equal(call.options.timeout, undefined);
    assert.deepEqual(job.progressWrites, []);
  });

  it('moves the bytes it decoded to the worker rather than copying them, and encodes a result JSON cannot hold', async () => {
    const pool = fakePool(() => Promise.resolve(new Map([[1, -0]])));
    const job = fakeJob('digest', { bytes: { $spindle: 'Uint8Array', base64: 'AQID' } });
    const encoded = await processorFor(pool)(job, 'token', undefined);
    const argument = pool.calls[0]?.argument;
    assert.ok(isTransferred(argument), 'an object argument is wrapped for transfer');
    assert.deepEqual(argument.value, { bytes: Uint8Array.of(1, 2, 3) });
    assert.equal(argument.transferList.length, 1);
    assert.deepEqual(encoded, { $spindle: 'Map', entries: [[1, { $spindle: 'number', value: '-0' }]] });
  });

  it("writes the task's progress and events to the job, in order, before it resolves", async () => {
    const pool = fakePool(async ({ options }) => {
      options.onProgress?.(1);
      options.onEvent?.('stage', { name: 'parse' });
      options.onProgress?.(2);
      await Promise.resolve();
      return 'done';
    });
    const job = fakeJob('report', null);
    assert.equal(await processorFor(pool)(job, 'token', undefined), 'done');
    // The first progress went out at once; the event and the newer progress queued behind it, in order.
    assert.deepEqual(job.progressWrites, [1, { [EVENT_KEY]: 'stage', data: { name: 'parse' } }, 2]);
  });

  it("passes the job's Spindle timeout on to the pool", async () => {
    const pool = fakePool(() => Promise.resolve(null));
    const job = fakeJob('fib', 3);
    (job.opts as { spindle?: { timeout: number } }).spindle = { timeout: 1500 };
    await processorFor(pool)(job, 'token', undefined);
    assert.equal(pool.calls[0]?.options.timeout, 1500);
  });
});
