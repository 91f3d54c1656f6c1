import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDIS_INSTALL_HINT, startRedisServer } from './redis-server.js';

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
});
