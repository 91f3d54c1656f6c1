import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrometheusText, postJson, startService } from './service-harness.js';

describe('GET /metrics', () => {
  it('serves Prometheus text with the queue, workers, run and wait percentiles and task outcomes of the pool', async (t) => {
    const running = await startService({ threads: 1 });
    t.after(() => running.close());
    for (let index = 0; index < 3; index++) assert.equal((await postJson(`${running.url}/passwords/hash`, { password: 'p', cost: 6 })).status, 200);

    const response = await fetch(`${running.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const samples = parsePrometheusText(text);
    assert.equal(samples.get('spindle_pool_state{state="running"}'), 1);
    assert.equal(samples.get('spindle_queue_depth'), 0);
    assert.equal(samples.get('spindle_workers{state="idle"}'), 1);
    assert.equal(samples.get('spindle_workers{state="busy"}'), 0);
    assert.equal(samples.get('spindle_tasks_total{outcome="completed"}'), 3);
    assert.equal(samples.get('spindle_tasks_total{outcome="failed"}'), 0);
    assert.equal(samples.get('spindle_tasks_submitted_total'), 3);
    for (const quantile of ['0.5', '0.95', '0.99']) {
      assert.ok((samples.get(`spindle_task_run_seconds{quantile="${quantile}"}`) ?? 0) > 0, `run time p${quantile}`);
      assert.ok(samples.has(`spindle_task_wait_seconds{quantile="${quantile}"}`), `wait time p${quantile}`);
    }
    assert.equal(samples.get('demo_http_request_duration_seconds_count{method="POST",route="/passwords/hash",status_code="200"}'), 3);
    assert.ok(samples.has('demo_process_cpu_user_seconds_total'));
    assert.match(text, /# TYPE spindle_tasks_total counter/);
    assert.match(text, /# TYPE spindle_queue_depth gauge/);
  });

  it('has no pool metrics when the service runs inline, but still the HTTP and process ones', async (t) => {
    const running = await startService({ mode: 'inline' });
    t.after(() => running.close());
    assert.equal((await fetch(`${running.url}/health`)).status, 200);
    const text = await (await fetch(`${running.url}/metrics`)).text();
    assert.doesNotMatch(text, /^spindle_/m);
    assert.match(text, /^demo_http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} 1$/m);
  });
});
