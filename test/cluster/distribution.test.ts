import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startFixtureCluster, startLoad } from './cluster-helpers.js';

describe('distribution', () => {
  it('splits requests across the processes within ±10 % of an even share (SCHED_RR): 45 % to 55 % each', { timeout: 60_000 }, async (t) => {
    const { cluster, url } = await startFixtureCluster();
    try {
      // Round-robin hands out connections, not requests: one connection per request, one after the
      // other, makes every request a decision of the primary. (With SCHED_NONE, the kernel's choice,
      // the same load splits about 40 / 60 on Linux.)
      const result = await startLoad(url, '/pid', { connections: 1, seconds: 2, close: true }).done;
      const counts = [...result.byPid.values()];
      const total = counts.reduce((sum, count) => sum + count, 0);
      const shares = counts.map((count) => count / total);
      t.diagnostic(`${String(total)} requests: ${shares.map((share) => `${(share * 100).toFixed(1)} %`).join(' / ')}`);
      assert.equal(counts.length, 2);
      assert.ok(total >= 100, `only ${String(total)} requests`);
      for (const share of shares) assert.ok(Math.abs(share - 0.5) <= 0.05, `a share of ${(share * 100).toFixed(1)} %, more than 10 % off the even 50 %`);
      assert.equal(result.errors + result.non2xx, 0);
    } finally {
      await cluster.close();
    }
  });
});
