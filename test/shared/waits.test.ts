/**
 * Timeouts and aborts on every wait: each waiting method of spindle/shared,
 * blocked for good (a lock held, a channel full or empty), must end with
 * ERR_WAIT_TIMEOUT at its `timeout` and with ERR_WAIT_ABORTED when its
 * `signal` fires — the blocking forms in a worker (where the task's
 * `context` is the signal), the async forms on the main thread.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'spindle';
import * as shared from 'spindle/shared';
import { ByteChannel, Mutex, ReadWriteLock, RecordChannel, Semaphore, SharedCell } from 'spindle/shared';
import { AWAITING, BLOCKING, freshStructures, type Blocker, type Structures } from '../fixtures/shared/wait-scenarios.js';
import { REPORT } from '../fixtures/shared/wait-tasks.js';
import { TEST_TIMEOUT_MS } from './start-pool.js';

const TIMEOUT_MS = 60;
/** Timers may fire a little early by the clock that measures them. */
const EARLY_MS = 10;

/** Sets up what blocks a scenario, from the main thread; returns how to undo it. */
function block(structures: Structures, blocker: Blocker): () => void {
  const taken = ((): { release(): void } | undefined => {
    switch (blocker) {
      case 'mutex': return Mutex.from(structures.mutex).tryLock();
      case 'permit': return Semaphore.from(structures.semaphore).tryAcquire();
      case 'write lock': return ReadWriteLock.from(structures.lock).tryWriteLock();
      case 'read lock': return ReadWriteLock.from(structures.lock).tryReadLock();
      case 'nothing': return { release: () => undefined };
      case 'byte reader': return ByteChannel.from(structures.bytes).reader();
      case 'byte writer': return ByteChannel.from(structures.bytes).writer();
      case 'record reader': return RecordChannel.from(structures.records).reader();
      case 'record writer': return RecordChannel.from(structures.records).writer();
    }
  })();
  assert.ok(taken !== undefined, `could not take ${blocker}`);
  return () => {
    taken.release();
  };
}

describe('every async wait, on the main thread', () => {
  for (const [name, scenario] of Object.entries(AWAITING)) {
    it(`${name} rejects with ERR_WAIT_TIMEOUT at its timeout, with ERR_WAIT_ABORTED (the reason as cause) when its signal fires, and at once for a signal already aborted`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const structures = freshStructures();
      const unblock = block(structures, scenario.blocker);
      const started = performance.now();
      await assert.rejects(Promise.resolve(scenario.wait(structures, { timeout: TIMEOUT_MS })), { code: 'ERR_WAIT_TIMEOUT', timeoutMs: TIMEOUT_MS });
      assert.ok(performance.now() - started >= TIMEOUT_MS - EARLY_MS);

      const reason = new Error('the caller left');
      const controller = new AbortController();
      setTimeout(() => {
        controller.abort(reason);
      }, 30);
      await assert.rejects(Promise.resolve(scenario.wait(freshAgain(structures, scenario.blocker), { signal: controller.signal })), (error: Error) => {
        assert.equal((error as { code?: string }).code, 'ERR_WAIT_ABORTED');
        assert.equal(error.cause, reason);
        return true;
      });

      const aborted = AbortSignal.abort(reason);
      let turnEnded = false;
      setImmediate(() => { turnEnded = true; });
      await assert.rejects(Promise.resolve(scenario.wait(freshAgain(structures, scenario.blocker), { signal: aborted })), { code: 'ERR_WAIT_ABORTED' });
      assert.equal(turnEnded, false, 'an already-aborted signal rejects within the turn of the call, before any timer or I/O');
      unblock();
    });
  }
});

/**
 * The same structures for the next wait, except the channels: a channel end
 * a failed wait took stays taken by this thread, which is fine for the same
 * thread, but a record channel's first write may have filled it.
 */
function freshAgain(structures: Structures, blocker: Blocker): Structures {
  if (!blocker.startsWith('record')) return structures;
  const fresh = freshStructures();
  block(fresh, blocker);
  return { ...structures, records: fresh.records };
}

describe('every blocking wait, in a worker', () => {
  let pool: Pool<typeof import('../fixtures/shared/wait-tasks.js')>;
  before(() => {
    pool = new Pool<typeof import('../fixtures/shared/wait-tasks.js')>(new URL('../fixtures/shared/wait-tasks.js', import.meta.url), { threads: 2, abortGrace: 2_000 });
  });
  after(() => pool.destroy());

  for (const [name, scenario] of Object.entries(BLOCKING)) {
    it(`${name} throws ERR_WAIT_TIMEOUT at its timeout, and ERR_WAIT_ABORTED when the task is aborted and its context is the signal`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const structures = freshStructures();
      const unblock = block(structures, scenario.blocker);
      const report = new SharedCell(REPORT, { code: '', cause: '', waitedMs: 0 });
      assert.equal(await pool.run('blockingWait', { scenario: name, structures, timeoutMs: TIMEOUT_MS, report: report.toHandle() }), 'ERR_WAIT_TIMEOUT');
      assert.ok(report.read().waitedMs >= TIMEOUT_MS - EARLY_MS, `waited ${report.read().waitedMs.toFixed(1)} ms`);
      unblock();

      const again = freshStructures();
      const unblockAgain = block(again, scenario.blocker);
      const controller = new AbortController();
      setTimeout(() => {
        controller.abort();
      }, 100);
      const { version } = report.snapshot();
      await assert.rejects(pool.run('blockingWait', { scenario: name, structures: again, report: report.toHandle() }, { signal: controller.signal }), { code: 'ERR_TASK_ABORTED' });
      const ended = await report.waitForChange(version, { timeout: 5_000 });
      assert.deepEqual({ code: ended.value.code, cause: ended.value.cause }, { code: 'ERR_WAIT_ABORTED', cause: 'AbortError' });
      unblockAgain();
    });
  }
});

describe('the wait tables', () => {
  /** Methods that never wait, by `Class#method`. Every other method of an exported class must be in one of the tables above. */
  const NOT_WAITING = new Set([
    ...['Mutex', 'Semaphore', 'ReadWriteLock', 'SharedCounter', 'SharedFlag', 'SharedCell', 'SharedRecords', 'ByteChannel', 'RecordChannel'].map((name) => `${name}#toHandle`),
    'Mutex#tryLock', 'Mutex#releaseHold', 'Mutex#releaseHeldBy',
    'Semaphore#tryAcquire', 'Semaphore#releaseHold', 'Semaphore#releaseHeldBy',
    'ReadWriteLock#tryReadLock', 'ReadWriteLock#tryWriteLock', 'ReadWriteLock#releaseHold', 'ReadWriteLock#releaseHeldBy',
    'LockHold#release',
    'SharedCounter#set', 'SharedCounter#add', 'SharedCounter#increment', 'SharedCounter#decrement', 'SharedCounter#exchange', 'SharedCounter#compareExchange',
    'SharedFlag#set', 'SharedFlag#clear',
    'SharedCell#read', 'SharedCell#snapshot', 'SharedCell#write', 'SharedCell#update', 'SharedCell#releaseHeldBy',
    'SharedRecords#column', 'SharedRecords#get', 'SharedRecords#set', 'SharedRecords#getField', 'SharedRecords#setField',
    'ByteChannel#writer', 'ByteChannel#reader', 'RecordChannel#writer', 'RecordChannel#reader',
    'ByteChannelWriter#tryWrite', 'ByteChannelWriter#close', 'ByteChannelWriter#release',
    'ByteChannelReader#tryRead', 'ByteChannelReader#tryPeek', 'ByteChannelReader#consume', 'ByteChannelReader#close', 'ByteChannelReader#release',
    'RecordChannelWriter#tryWrite', 'RecordChannelWriter#close', 'RecordChannelWriter#release',
    'RecordChannelReader#tryRead', 'RecordChannelReader#close', 'RecordChannelReader#release',
  ]);

  it('cover every method of every exported class: each waits (and is in a table, blocking or async) or is listed as not waiting', () => {
    const exported: [string, unknown][] = Object.entries(shared);
    const methods = exported
      .filter((entry): entry is [string, new (...args: never[]) => unknown] => typeof entry[1] === 'function' && /^[A-Z]/.test(entry[0]) && !entry[0].endsWith('Error'))
      .flatMap(([name, type]) =>
        Object.entries(Object.getOwnPropertyDescriptors(type.prototype as object))
          .filter(([key, descriptor]) => key !== 'constructor' && typeof descriptor.value === 'function')
          .map(([key]) => `${name}#${key}`),
      );
    const tabled = new Set([...Object.keys(BLOCKING), ...Object.keys(AWAITING)].map((key) => key.replace(/ \(.*\)$/, '')));
    assert.deepEqual(methods.filter((method) => !tabled.has(method) && !NOT_WAITING.has(method)), []);
    assert.deepEqual([...tabled].filter((method) => !methods.includes(method)), [], 'the tables name only real methods');
  });
});
