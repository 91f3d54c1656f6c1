import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceProcess } from '../../demo/battle/service-process.js';

const clusterEntry = new URL('../../demo/cluster/main.js', import.meta.url);

describe('the demo service under spindle/cluster (the battle test\'s cluster phase)', () => {
  it('reports its URL and the whole fleet\'s measurements over IPC, and serves the demo\'s endpoints', { timeout: 60_000 }, async () => {
    const service = await ServiceProcess.start(['--processes', '2'], clusterEntry);
    try {
      assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      service.resetMeasurements();
      const bodies = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const response = await fetch(`${service.url}/passwords/hash`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ password: 'p', cost: 4 }) });
          assert.equal(response.status, 200);
          return response.json() as Promise<{ cost: number }>;
        }),
      );
      assert.deepEqual(bodies.map((body) => body.cost), [4, 4, 4, 4]);
      assert.deepEqual(await (await fetch(`${service.url}/health`)).json(), { status: 'ok', mode: 'pooled' });
      const { report, poolStats } = await service.readMeasurements();
      assert.equal(poolStats, null);
      assert.ok(report.eventLoopDelay.samples > 10 && report.cpuPercent > 0 && report.elapsedMs > 0, JSON.stringify(report));
    } finally {
      await service.stop();
    }
  });
});
