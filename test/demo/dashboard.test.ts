import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeSampleInvoice } from '../../demo/samples/sample-invoice.js';
import { postJson, startService, type RunningService } from './service-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-results/dashboard.png';

interface ChartState {
  points: number;
  latest: Record<string, number>;
}

async function chartState(page: Page, id: string): Promise<ChartState> {
  const canvas = page.locator(`#${id}`);
  const [points, latest] = await Promise.all([canvas.getAttribute('data-points'), canvas.getAttribute('data-latest')]);
  return { points: Number(points), latest: JSON.parse(latest ?? '{}') as Record<string, number> };
}

/** Keeps `concurrency` requests of mixed work in flight until `stop` resolves. */
async function driveWork(url: string, concurrency: number, stop: Promise<void>): Promise<number> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  let answered = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (!stopped) {
        const response = lane % 2 === 0 ? await postJson(`${url}/passwords/hash`, { password: 'dashboard', cost: 8 }) : await postJson(`${url}/invoices`, makeSampleInvoice(60));
        await response.arrayBuffer();
        answered++;
      }
    }),
  );
  return answered;
}

describe('the dashboard', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let running: RunningService;
  let browser: Browser;
  before(async () => {
    [running, browser] = await Promise.all([
      startService({ threads: 1, dashboardIntervalMs: 250 }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] }),
    ]);
  });
  after(async () => {
    await browser.close();
    await running.close();
  });

  it('draws live charts in Chromium that move while load runs, and lists the workers', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${running.url}/dashboard`);
    await page.waitForSelector('#connection.online');
    await page.waitForFunction('Number(document.body.dataset.frames) >= 2');
    const before = await chartState(page, 'chart-throughput');

    let stopLoad!: () => void;
    const load = driveWork(running.url, 4, new Promise((resolve) => (stopLoad = resolve)));
    const seen = { busyWorkers: 0, requestsPerSecond: 0, tasksPerSecond: 0, queued: 0, latencyP99: 0 };
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline) {
      await page.waitForTimeout(250);
      const workers = await chartState(page, 'chart-workers');
      const throughput = await chartState(page, 'chart-throughput');
      const queue = await chartState(page, 'chart-queue');
      const latency = await chartState(page, 'chart-latency');
      seen.busyWorkers = Math.max(seen.busyWorkers, workers.latest.busy ?? 0);
      seen.requestsPerSecond = Math.max(seen.requestsPerSecond, throughput.latest.requests ?? 0);
      seen.tasksPerSecond = Math.max(seen.tasksPerSecond, throughput.latest.tasks ?? 0);
      seen.queued = Math.max(seen.queued, queue.latest.queued ?? 0);
      seen.latencyP99 = Math.max(seen.latencyP99, latency.latest.p99 ?? 0);
      if (throughput.points >= before.points + 8 && seen.busyWorkers > 0 && seen.requestsPerSecond > 0 && seen.queued > 0 && seen.latencyP99 > 0) break;
    }
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    stopLoad();
    const answered = await load;

    const after = await chartState(page, 'chart-throughput');
    assert.ok(answered > 0);
    assert.ok(after.points >= before.points + 8, `the throughput chart got ${String(after.points - before.points)} new points`);
    assert.equal(seen.busyWorkers, 1, 'the busy-workers chart showed the worker busy');
    assert.ok(seen.requestsPerSecond > 0, 'the throughput chart showed requests');
    assert.ok(seen.tasksPerSecond > 0, 'the throughput chart showed tasks');
    assert.ok(seen.queued > 0, 'the queue chart showed waiting tasks (4 clients, 1 worker)');
    assert.ok(seen.latencyP99 > 0, 'the latency chart showed percentiles');
    const threadId = running.service.runner.stats()?.perWorker[0]?.threadId;
    assert.equal(await page.locator('#workers tbody tr').count(), 1);
    assert.equal(await page.locator('#workers tbody tr').first().getAttribute('data-thread-id'), String(threadId));
    assert.equal(await page.textContent('#mode'), 'pooled (Spindle)');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  it('serves its scripts and styles from the service itself and 404s anything else', async () => {
    for (const asset of ['dashboard.js', 'charts.js', 'dashboard.css']) {
      const response = await fetch(`${running.url}/dashboard/assets/${asset}`);
      assert.equal(response.status, 200, asset);
    }
    assert.match((await (await fetch(`${running.url}/dashboard`)).text()).replaceAll(/\s+/g, ' '), /<script type="module" src="\/dashboard\/assets\/dashboard.js">/);
    assert.equal((await fetch(`${running.url}/dashboard/assets/create-service.js`)).status, 404);
    assert.equal((await fetch(`${running.url}/dashboard/assets/..%2F..%2Fpackage.json`)).status, 404);
  });

  it('streams frames as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${running.url}/dashboard/events`, { signal: controller.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: frame\ndata: ')) text += new TextDecoder().decode((await reader.read()).value as Uint8Array | undefined);
    controller.abort();
    const data = /data: (.*)\n/.exec(text)?.[1] ?? '';
    const frame = JSON.parse(data) as { mode: string; pool: { workers: { total: number }; maxQueue: number } };
    assert.equal(frame.mode, 'pooled');
    assert.equal(frame.pool.workers.total, 1);
    assert.equal(frame.pool.maxQueue, 64);
  });
});
