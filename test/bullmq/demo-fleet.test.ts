import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { makeSampleInvoice } from '../../demo/samples/sample-invoice.js';
import { parseServeFlags } from '../../demo/service/command-line.js';
import { DEMO_FLEET_QUEUE } from '../../demo/service/fleet-runner.js';
import { postJson, startService, type RunningService } from '../demo/service-harness.js';
import { waitUntil } from './fleet-helpers.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

describe('the demo service with --fleet: its heavy endpoints run on fleet nodes', { timeout: 120_000 }, () => {
  let redis: RedisServer;
  let running: RunningService | undefined;
  const nodes: ReturnType<typeof spawn>[] = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await running?.close();
    for (const node of nodes) if (node.exitCode === null) node.kill('SIGKILL');
    await redis.stop();
  });

  it('`npm start -- --serve --fleet redis://…` selects the fleet runner', { timeout: 30_000 }, () => {
    const settings = parseServeFlags(['--serve', '--fleet', 'redis://127.0.0.1:6390', '--port', '0']);
    assert.deepEqual(settings.service, { mode: 'fleet', fleetUrl: 'redis://127.0.0.1:6390', logger: false });
    assert.equal(parseServeFlags(['--serve']).service.mode, 'pooled');
  });

  it('hashes passwords and renders invoices on a node started with `npm run fleet:node`, then the node stops on SIGTERM', { timeout: 30_000 }, async () => {
    const node = spawn(process.execPath, [fileURLToPath(new URL('../../demo/fleet/node.js', import.meta.url)), '--fleet', redis.url, '--threads', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    nodes.push(node);
    let output = '';
    node.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitUntil(() => output.includes(`serving queue ${DEMO_FLEET_QUEUE}`), 'the node to serve', 30_000);

    running = await startService({ mode: 'fleet', fleetUrl: redis.url });
    assert.deepEqual(await (await fetch(`${running.url}/health`)).json(), { status: 'ok', mode: 'fleet' });
    const hashed = await postJson(`${running.url}/passwords/hash`, { password: 'correct horse', cost: 4 });
    assert.equal(hashed.status, 200);
    assert.equal(await bcrypt.compare('correct horse', ((await hashed.json()) as { hash: string }).hash), true);
    const invoice = await postJson(`${running.url}/invoices`, makeSampleInvoice(3));
    assert.equal(invoice.status, 200);
    assert.equal(invoice.headers.get('content-type'), 'application/pdf');
    assert.equal(Buffer.from(await invoice.arrayBuffer()).subarray(0, 5).toString(), '%PDF-', 'the PDF bytes came back through Redis intact');
    await running.close();
    running = undefined;

    const exited = once(node, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    node.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  });
});
