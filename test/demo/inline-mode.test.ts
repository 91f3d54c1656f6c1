import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import jpeg from 'jpeg-js';
import { makeSampleCsv } from '../../demo/samples/sample-csv.js';
import { makeSampleInvoice } from '../../demo/samples/sample-invoice.js';
import { makeSamplePhoto } from '../../demo/samples/sample-photo.js';
import { ServiceProcess } from '../../demo/battle/service-process.js';
import { postFile, postJson, startService } from './service-harness.js';

/**
 * Latency of one /health request sent while a cost-12 bcrypt hash (hundreds
 * of ms of CPU) is being worked on. The service runs in a child process, so
 * this process's own event loop stays free to measure.
 */
async function healthLatencyDuringHeavyWork(running: { readonly url: string }): Promise<{ healthMs: number; hashMs: number }> {
  const startedAt = performance.now();
  const hashing = postJson(`${running.url}/passwords/hash`, { password: 'slow', cost: 12 }).then(async (response) => {
    await response.json();
    return performance.now() - startedAt;
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  const healthStartedAt = performance.now();
  assert.equal((await fetch(`${running.url}/health`)).status, 200);
  const healthMs = performance.now() - healthStartedAt;
  return { healthMs, hashMs: await hashing };
}

describe('the --inline service', () => {
  it('does the same work on its event loop, with the same answers', async (t) => {
    const running = await startService({ mode: 'inline' });
    t.after(() => running.close());
    assert.equal(running.service.runner.stats(), undefined);
    assert.deepEqual(await (await fetch(`${running.url}/health`)).json(), { status: 'ok', mode: 'inline' });

    const pdf = Buffer.from(await (await postJson(`${running.url}/invoices`, makeSampleInvoice(10))).arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-16).toString('latin1'), /%%EOF\s*$/);

    const thumbnail = await postFile(`${running.url}/thumbnails?width=100&height=100`, 'image', 'photo.jpg', 'image/jpeg', await makeSamplePhoto(400, 200));
    const decoded = jpeg.decode(Buffer.from(await thumbnail.arrayBuffer()));
    assert.deepEqual([decoded.width, decoded.height], [100, 50]);

    const { hash } = (await (await postJson(`${running.url}/passwords/hash`, { password: 'inline', cost: 4 })).json()) as { hash: string };
    assert.equal(bcrypt.compareSync('inline', hash), true);

    const csv = (await (await postFile(`${running.url}/csv`, 'file', 'orders.csv', 'text/csv', makeSampleCsv(300))).json()) as { rowCount: number };
    assert.equal(csv.rowCount, 300);

    const notAnImage = await postFile(`${running.url}/thumbnails`, 'image', 'notes.txt', 'text/plain', 'text');
    assert.equal(notAnImage.status, 422);
  });

  it('makes /health wait for heavy work inline, while the pooled service answers it at once', async (t) => {
    const [inline, pooled] = await Promise.all([ServiceProcess.start(['--inline']), ServiceProcess.start(['--threads', '1'])]);
    t.after(() => Promise.all([inline.stop(), pooled.stop()]));

    const blocked = await healthLatencyDuringHeavyWork(inline);
    const free = await healthLatencyDuringHeavyWork(pooled);
    // Inline, /health is answered only after the hash: it waits most of the hash's time.
    assert.ok(blocked.healthMs > (blocked.hashMs - 30) * 0.5, `inline /health took ${blocked.healthMs.toFixed(0)} ms while a ${blocked.hashMs.toFixed(0)} ms hash ran`);
    // Pooled, it is answered while the hash still runs in the worker.
    assert.ok(free.healthMs < free.hashMs / 2, `pooled /health took ${free.healthMs.toFixed(0)} ms while a ${free.hashMs.toFixed(0)} ms hash ran`);
  });
});
