import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { get, startFixtureCluster } from './cluster-helpers.js';

describe('distribution', () => {
  it('splits requests across the processes within ±10 % of an even share (SCHED_RR): 45 % to 55 % each', { timeout: 60_000 }, async (t) => {
    const { cluster, url } = await startFixtureCluster();
    try {
      // Round-robin hands out connections, not requests: one connection per request, one after the
      // other, makes every request a decision of the primary. (With SCHED_NONE, the kernel's choice,
      // the same load splits about 40 / 60 on Linux.)
      const byPid = new Map<number, number>();
      for (let index = 0; index < 100; index++) {
        const answer = await get(`${url}/pid`);
        assert.equal(answer.status, 200);
        const { pid } = JSON.parse(answer.body) as { pid: number };
        byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
      }
      const counts = [...byPid.values()];
      const shares = counts.map((count) => count / 100);
      t.diagnostic(`100 requests, each on a new connection: ${shares.map((share) => `${(share * 100).toFixed(1)} %`).join(' / ')}`);
      assert.equal(counts.length, 2);
      for (const share of shares) assert.ok(Math.abs(share - 0.5) <= 0.05, `a share of ${(share * 100).toFixed(1)} %, more than 10 % off the even 50 %`);
    } finally {
      await cluster.close();
    }
  });
});
