import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clusterWorker } from 'spindle/cluster';
import { freePort, get, waitUntil, workerModule } from './cluster-helpers.js';

describe('clusterWorker() without a supervisor', () => {
  it('runs the same module on its own: ready, its own metrics, and a drain on SIGTERM that answers the request in flight with Connection: close', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${String(port)}`;
    const child = spawn(process.execPath, [fileURLToPath(workerModule)], { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const agent = new Agent({ keepAlive: true });
    try {
      // /metrics answers once clusterWorker() has resolved: the server listens and the pool is ready.
      await waitUntil(async () => (await get(`${url}/metrics`).catch(() => undefined))?.status === 200, 20_000, 'the server');
      const metrics = await get(`${url}/metrics`);
      assert.match(metrics.body, /fixture_requests_total \d+/, 'its own registry, a fleet of one');
      await get(`${url}/pid`, { agent }); // a keep-alive connection, idle during the drain
      const inFlight = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        request(`${url}/work?ms=800`, { agent }, (response) => {
          response.resume().on('end', () => {
            resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
          });
        }).on('error', reject).end();
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.kill('SIGTERM');
      assert.deepEqual(await inFlight, { status: 200, connection: 'close' });
      assert.deepEqual(await exited, [0, null]);
    } finally {
      agent.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('reports an option that is not what it should be with ERR_INVALID_OPTION', async () => {
    await assert.rejects(clusterWorker({ server: {} as never }), { code: 'ERR_INVALID_OPTION', message: /`server` to be a node:http or node:https server/ });
    await assert.rejects(clusterWorker({ pool: { close: () => Promise.resolve() } as never }), { code: 'ERR_INVALID_OPTION', message: /`pool` to be a Spindle Pool/ });
    await assert.rejects(clusterWorker({ beforeClose: 1 as never }), { code: 'ERR_INVALID_OPTION' });
    await assert.rejects(clusterWorker({ registry: {} as never }), { code: 'ERR_INVALID_OPTION' });
    await assert.rejects(clusterWorker({ signals: 'no' as never }), { code: 'ERR_INVALID_OPTION' });
  });
});
