import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { register as globalRegistry, Registry } from 'prom-client';
import { Pool, type PoolStats } from 'spindle';
import { registerPoolMetrics } from 'spindle/prometheus';
import { parsePrometheusText } from './service-harness.js';

const summary = (p50: number, p95: number, p99: number) => ({ count: 10, mean: p50, p50, p95, p99, max: p99 });

function statsWith(overrides: Partial<PoolStats> = {}): PoolStats {
  return {
    state: 'running',
    workers: { total: 3, busy: 2, idle: 1, starting: 0 },
    queued: 7,
    running: 2,
    submitted: 40,
    completed: 30,
    failed: 1,
    failedByCode: { ERR_TASK_TIMEOUT: 1 },
    aborted: 2,
    timedOut: 3,
    rejectedQueueFull: 4,
    retried: 5,
    takenBack: 0,
    workerCrashes: 6,
    workersStarted: 9,
    workerStartFailures: 0,
    utilization: 0.75,
    runTime: summary(12, 40, 80),
    waitTime: summary(1, 5, 9),
    perWorker: [
      { threadId: 11, state: 'ready', inFlight: 1, tasksCompleted: 20, errors: 0, averageRunTimeMs: 12, lastActiveAt: 0 },
      { threadId: 12, state: 'ready', inFlight: 0, tasksCompleted: 10, errors: 1, averageRunTimeMs: 14, lastActiveAt: 0 },
    ],
    ...overrides,
  };
}

/** A stats source that counts how often it is read. */
function countingSource(read: () => PoolStats): { stats: () => PoolStats; reads: () => number } {
  let reads = 0;
  return {
    stats: () => {
      reads++;
      return read();
    },
    reads: () => reads,
  };
}

describe('registerPoolMetrics (spindle/prometheus)', () => {
  it('exposes queue depth, workers, percentiles in seconds, outcomes and per-worker figures from pool.stats()', async () => {
    const registry = new Registry();
    registerPoolMetrics({ stats: () => statsWith() }, { registry });
    const samples = parsePrometheusText(await registry.metrics());
    assert.equal(samples.get('spindle_queue_depth'), 7);
    assert.equal(samples.get('spindle_tasks_running'), 2);
    assert.equal(samples.get('spindle_workers{state="busy"}'), 2);
    assert.equal(samples.get('spindle_workers{state="idle"}'), 1);
    assert.equal(samples.get('spindle_workers{state="starting"}'), 0);
    assert.equal(samples.get('spindle_utilization_ratio'), 0.75);
    assert.equal(samples.get('spindle_task_run_seconds{quantile="0.5"}'), 0.012);
    assert.equal(samples.get('spindle_task_run_seconds{quantile="0.95"}'), 0.04);
    assert.equal(samples.get('spindle_task_run_seconds{quantile="0.99"}'), 0.08);
    assert.equal(samples.get('spindle_task_wait_seconds{quantile="0.99"}'), 0.009);
    assert.equal(samples.get('spindle_tasks_total{outcome="completed"}'), 30);
    assert.equal(samples.get('spindle_tasks_total{outcome="failed"}'), 1);
    assert.equal(samples.get('spindle_tasks_total{outcome="aborted"}'), 2);
    assert.equal(samples.get('spindle_tasks_total{outcome="timed_out"}'), 3);
    assert.equal(samples.get('spindle_tasks_total{outcome="rejected_queue_full"}'), 4);
    assert.equal(samples.get('spindle_tasks_submitted_total'), 40);
    assert.equal(samples.get('spindle_task_retries_total'), 5);
    assert.equal(samples.get('spindle_worker_crashes_total'), 6);
    assert.equal(samples.get('spindle_workers_started_total'), 9);
    assert.equal(samples.get('spindle_worker_start_failures_total'), 0);
    assert.equal(samples.get('spindle_worker_in_flight{thread_id="11"}'), 1);
    assert.equal(samples.get('spindle_worker_tasks_completed{thread_id="12"}'), 10);
    assert.equal(samples.get('spindle_pool_state{state="running"}'), 1);
    assert.equal(samples.get('spindle_pool_state{state="degraded"}'), 0);
  });

  it('reads pool.stats() once per scrape and not at all between scrapes', async () => {
    const registry = new Registry();
    const source = countingSource(() => statsWith());
    registerPoolMetrics(source, { registry });
    assert.equal(source.reads(), 0);
    await registry.metrics();
    assert.equal(source.reads(), 1);
    await registry.metrics();
    assert.equal(source.reads(), 2);
  });

  it('mirrors the pool totals in its counters instead of adding them up scrape after scrape', async () => {
    const registry = new Registry();
    let completed = 30;
    registerPoolMetrics({ stats: () => statsWith({ completed }) }, { registry });
    await registry.metrics();
    assert.equal(parsePrometheusText(await registry.metrics()).get('spindle_tasks_total{outcome="completed"}'), 30);
    completed = 31;
    assert.equal(parsePrometheusText(await registry.metrics()).get('spindle_tasks_total{outcome="completed"}'), 31);
  });

  it('drops the series of workers that have gone', async () => {
    const registry = new Registry();
    let stats = statsWith();
    registerPoolMetrics({ stats: () => stats }, { registry });
    assert.ok(parsePrometheusText(await registry.metrics()).has('spindle_worker_in_flight{thread_id="12"}'));
    stats = statsWith({ perWorker: stats.perWorker.slice(0, 1) });
    const samples = parsePrometheusText(await registry.metrics());
    assert.ok(samples.has('spindle_worker_in_flight{thread_id="11"}'));
    assert.ok(!samples.has('spindle_worker_in_flight{thread_id="12"}'));
  });

  it('puts the prefix on every name and the constant labels on every series', async () => {
    const registry = new Registry();
    const metrics = registerPoolMetrics({ stats: () => statsWith() }, { registry, prefix: 'thumbnails_', labels: { service: 'images' } });
    const samples = [...parsePrometheusText(await registry.metrics()).keys()];
    assert.ok(samples.length > 20);
    for (const sample of samples) {
      assert.ok(sample.startsWith('thumbnails_'), sample);
      assert.match(sample, /\{service="images"[,}]/);
    }
    assert.ok(metrics.names.every((name) => name.startsWith('thumbnails_')));
    assert.equal(samples.includes('thumbnails_workers{service="images",state="busy"}'), true);
  });

  it('lets two pools share a registry under different prefixes, and unregister removes only its own metrics', async () => {
    const registry = new Registry();
    const first = registerPoolMetrics({ stats: () => statsWith({ queued: 1 }) }, { registry, prefix: 'first_' });
    registerPoolMetrics({ stats: () => statsWith({ queued: 2 }) }, { registry, prefix: 'second_' });
    const samples = parsePrometheusText(await registry.metrics());
    assert.equal(samples.get('first_queue_depth'), 1);
    assert.equal(samples.get('second_queue_depth'), 2);
    first.unregister();
    const remaining = registry.getMetricsAsArray().map((metric) => metric.name);
    assert.ok(remaining.length > 0);
    assert.ok(remaining.every((name) => name.startsWith('second_')));
  });

  it("registers in prom-client's global registry when none is given", async () => {
    const metrics = registerPoolMetrics({ stats: () => statsWith() }, { prefix: 'spindle_global_test_' });
    try {
      assert.ok(globalRegistry.getSingleMetric('spindle_global_test_queue_depth') !== undefined);
      assert.equal(parsePrometheusText(await globalRegistry.metrics()).get('spindle_global_test_queue_depth'), 7);
    } finally {
      metrics.unregister();
    }
    assert.equal(globalRegistry.getSingleMetric('spindle_global_test_queue_depth'), undefined);
  });

  it('reports a real pool: its worker and the tasks it completed', async () => {
    const pool = new Pool<typeof import('../fixtures/tasks.js')>(new URL('../fixtures/tasks.js', import.meta.url), { threads: 1 });
    try {
      await pool.ready;
      const registry = new Registry();
      registerPoolMetrics(pool, { registry });
      await Promise.all([pool.run('add', { a: 1, b: 2 }), pool.run('add', { a: 3, b: 4 })]);
      const samples = parsePrometheusText(await registry.metrics());
      assert.equal(samples.get('spindle_tasks_total{outcome="completed"}'), 2);
      assert.equal(samples.get('spindle_workers{state="idle"}'), 1);
      assert.equal(samples.get('spindle_workers_started_total'), 1);
      const [worker] = pool.stats().perWorker;
      assert.equal(samples.get(`spindle_worker_tasks_completed{thread_id="${String(worker?.threadId)}"}`), 2);
    } finally {
      await pool.close();
    }
  });
});
