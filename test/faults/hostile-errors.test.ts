import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import type { HostileKind } from '../fixtures/fault-tasks.js';
import { faultTasksUrl, type FaultTasks } from './fault-helpers.js';

const THROWN: readonly { readonly kind: HostileKind; readonly unreadable: string }[] = [
  { kind: 'enumerable-getter', unreadable: 'detail' },
  { kind: 'message-getter', unreadable: 'message' },
  { kind: 'name-getter', unreadable: 'name' },
  { kind: 'stack-getter', unreadable: 'stack' },
  { kind: 'cause-getter', unreadable: 'cause' },
];

describe('errors whose reading throws', () => {
  for (const { kind, unreadable } of THROWN) {
    it(`settles a task that throws an error with a throwing ${kind} with that error, once, and keeps the worker`, async () => {
      const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 2 });
      try {
        const counters = new SharedArrayBuffer(4);
        const error = await pool.run('throwHostile', { kind, counters }).then(
          () => assert.fail('resolved'),
          (reason: unknown) => reason as Error & { code?: string; unreadable?: readonly string[] },
        );
        assert.notEqual(error.code, 'ERR_WORKER_EXITED');
        assert.ok(error.unreadable?.includes(unreadable), `unreadable: ${String(error.unreadable)}`);
        if (unreadable !== 'message') assert.equal(error.message, 'hostile');
        assert.equal(new Int32Array(counters)[0], 1, "a task's own error is not retried");
        assert.equal(pool.stats().workerCrashes, 0);
        assert.equal(await pool.run('succeed', 7), 7);
      } finally {
        await pool.destroy();
      }
    });
  }

  it('keeps what it can read of an error holding a revoked Proxy, and marks the property', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 2 });
    try {
      const counters = new SharedArrayBuffer(4);
      const error = (await pool.run('throwHostile', { kind: 'revoked-proxy-property', counters }).catch((reason: unknown) => reason)) as Error & { context?: unknown };
      assert.equal(error.message, 'hostile');
      assert.equal(error.context, "[unreadable: a revoked Proxy]");
      assert.equal(new Int32Array(counters)[0], 1);
      assert.equal(pool.stats().workerCrashes, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('rejects with an Error describing a thrown revoked Proxy, once, and keeps the worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 2 });
    try {
      const counters = new SharedArrayBuffer(4);
      await assert.rejects(pool.run('throwHostile', { kind: 'revoked-proxy', counters }), (error: unknown) => error instanceof Error && (error as { code?: string }).code !== 'ERR_WORKER_EXITED');
      assert.equal(new Int32Array(counters)[0], 1);
      assert.equal(pool.stats().workerCrashes, 0);
    } finally {
      await pool.destroy();
    }
  });

  it('fails a task whose result has a throwing `then` getter with that error, without ending the worker', async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1, retries: 2 });
    try {
      const counters = new SharedArrayBuffer(4);
      await assert.rejects(pool.run('throwHostile', { kind: 'then-getter', counters }), { name: 'TypeError', message: 'boom from a getter' });
      assert.equal(new Int32Array(counters)[0], 1);
      assert.equal(pool.stats().workerCrashes, 0);
    } finally {
      await pool.destroy();
    }
  });
});
