import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePrometheusText, postJson, startService, type RunningService } from './service-harness.js';

describe('load shedding', () => {
  let running: RunningService;
  before(async () => {
    running = await startService({ threads: 1, maxQueue: 2 });
  });
  after(() => running.close());

  it('answers 503 with Retry-After at once when the queue is full, and every request gets an answer', async () => {
    const startedAt = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const response = await postJson(`${running.url}/passwords/hash`, { password: 'busy', cost: 10 });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { code?: string }, at: performance.now() - startedAt };
      }),
    );
    const accepted = responses.filter((response) => response.status === 200);
    const shed = responses.filter((response) => response.status === 503);
    assert.equal(accepted.length + shed.length, 12, `only 200 and 503 expected, got ${responses.map((response) => response.status).join(', ')}`);
    assert.ok(accepted.length >= 1 && shed.length >= 1, `${String(accepted.length)} accepted, ${String(shed.length)} shed`);
    for (const response of shed) {
      assert.match(response.retryAfter ?? '', /^[1-9]\d*$/);
      assert.equal(response.body.code, 'ERR_QUEUE_FULL');
    }
    const slowestShed = Math.max(...shed.map((response) => response.at));
    const slowestAccepted = Math.max(...accepted.map((response) => response.at));
    assert.ok(slowestShed < slowestAccepted, `shed requests are answered before the accepted work finishes (${slowestShed.toFixed(0)} ms vs ${slowestAccepted.toFixed(0)} ms)`);
  });

  it('counts shed requests in /metrics, both as HTTP 503s and as the pool rejected them', async () => {
    const samples = parsePrometheusText(await (await fetch(`${running.url}/metrics`)).text());
    const shed = samples.get('demo_requests_shed_total') ?? 0;
    assert.ok(shed >= 1);
    assert.equal(samples.get('spindle_tasks_total{outcome="rejected_queue_full"}'), shed);
    assert.equal(samples.get('demo_http_request_duration_seconds_count{method="POST",route="/passwords/hash",status_code="503"}'), shed);
  });

  it('keeps answering /health quickly while shedding', async () => {
    const work = Array.from({ length: 6 }, () => postJson(`${running.url}/passwords/hash`, { password: 'busy', cost: 10 }));
    const startedAt = performance.now();
    const health = await fetch(`${running.url}/health`);
    const elapsedMs = performance.now() - startedAt;
    assert.equal(health.status, 200);
    assert.ok(elapsedMs < 250, `/health took ${elapsedMs.toFixed(0)} ms`);
    await Promise.all((await Promise.all(work)).map((response) => response.arrayBuffer()));
  });
});
