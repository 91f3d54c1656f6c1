import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { REDIS_INSTALL_HINT, startRedisServer } from './redis-server.js';

/** Whether `pid` runs: a zombie (dead, not yet reaped by whoever adopted it) does not. */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (name) state …"; the name may hold spaces, so read after its last ')'.
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe('the redis-server the fleet tests start', { timeout: 30_000 }, () => {
  it('without redis-server installed, fails saying what to install instead of skipping', async () => {
    const saved = process.env.REDIS_SERVER;
    process.env.REDIS_SERVER = '/nonexistent/redis-server';
    try {
      await assert.rejects(startRedisServer(), (error: Error) => {
        assert.equal(error.message, REDIS_INSTALL_HINT);
        assert.match(error.message, /apt-get install redis-server/);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER;
      else process.env.REDIS_SERVER = saved;
    }
  });

  it('starts on a free loopback port, answers, and is gone after stop()', async () => {
    const redis = await startRedisServer();
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
      await client.connect();
      assert.equal(await client.ping(), 'PONG');
    } finally {
      client.disconnect();
      await redis.stop();
    }
    assert.throws(() => process.kill(redis.pid ?? 0, 0), { code: 'ESRCH' }, 'the server process has exited');
  });

  it('ends with the process that started it, even when that process is killed with SIGKILL (Linux)', { skip: process.platform !== 'linux' && 'the parent-death signal is Linux only' }, async () => {
    const owner = spawn(process.execPath, [fileURLToPath(new URL('./redis-owner-process.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(owner, 'exit');
    let serverPid = 0;
    try {
      const [line] = (await once(createInterface({ input: owner.stdout }), 'line')) as [string];
      serverPid = (JSON.parse(line) as { pid: number }).pid;
      assert.ok(isRunning(serverPid), 'the server runs while its owner does');
      owner.kill('SIGKILL');
      await exited;
      for (const until = Date.now() + 10_000; isRunning(serverPid) && Date.now() < until; ) await sleep(50);
      assert.equal(isRunning(serverPid), false, `redis-server ${String(serverPid)} outlived the process that started it`);
    } finally {
      owner.kill('SIGKILL');
      if (serverPid !== 0 && isRunning(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  });
});
