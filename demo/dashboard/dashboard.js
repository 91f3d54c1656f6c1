// The live dashboard: one EventSource on /dashboard/events, one frame every
// half second (see demo/service/dashboard-frames.ts for the frame's shape).
import { formatNumber, LineChart } from './charts.js';

const colors = { blue: '#4fb3ff', orange: '#ff9f43', green: '#2ecc71', red: '#ff5c5c', purple: '#b58cff', grey: '#8a96a3' };
/** p50, p95 and p99 lines, for the latency and run-time charts alike (read only). */
const percentileSeries = [
  { key: 'p50', label: 'p50', color: colors.green },
  { key: 'p95', label: 'p95', color: colors.orange },
  { key: 'p99', label: 'p99', color: colors.red },
];
const milliseconds = (value) => `${formatNumber(value)}`;

const charts = {
  queue: new LineChart(byId('chart-queue'), { integers: true, series: [{ key: 'queued', label: 'queued', color: colors.blue }] }),
  workers: new LineChart(byId('chart-workers'), {
    integers: true,
    series: [
      { key: 'busy', label: 'busy', color: colors.orange },
      { key: 'total', label: 'total', color: colors.grey, dashed: true },
    ],
  }),
  throughput: new LineChart(byId('chart-throughput'), {
    series: [
      { key: 'requests', label: 'requests', color: colors.blue },
      { key: 'tasks', label: 'tasks', color: colors.green },
      { key: 'shed', label: 'shed 503', color: colors.red },
    ],
  }),
  latency: new LineChart(byId('chart-latency'), {
    format: milliseconds,
    series: percentileSeries,
  }),
  eventLoop: new LineChart(byId('chart-event-loop'), { format: milliseconds, minimumMax: 5, series: [{ key: 'p99', label: 'p99', color: colors.purple }] }),
  runTime: new LineChart(byId('chart-run-time'), {
    format: milliseconds,
    series: percentileSeries,
  }),
};

let frames = 0;
const events = new EventSource('/dashboard/events');
events.addEventListener('open', () => setConnection(true));
events.addEventListener('error', () => setConnection(false));
events.addEventListener('frame', (event) => {
  const frame = JSON.parse(event.data);
  frames++;
  document.body.dataset.frames = String(frames);
  render(frame);
});

function render(frame) {
  const pool = frame.pool;
  byId('mode').textContent = frame.mode === 'pooled' ? 'pooled (Spindle)' : frame.mode === 'fleet' ? 'fleet (BullMQ on Redis)' : 'inline (no pool)';
  byId('tile-workers').textContent = pool ? `${String(pool.workers.busy)} / ${String(pool.workers.total)}` : 'n/a';
  byId('tile-queue').textContent = pool ? `${String(pool.queued)} / ${String(pool.maxQueue)}` : 'n/a';
  byId('tile-requests').textContent = formatNumber(frame.requests.requestsPerSecond);
  byId('tile-tasks').textContent = pool ? formatNumber(pool.tasksPerSecond) : 'n/a';
  byId('tile-shed').textContent = formatNumber(frame.requests.shedPerSecond);
  byId('tile-event-loop').textContent = `${formatNumber(frame.eventLoopDelayP99Ms)} ms`;

  charts.queue.push({ queued: pool?.queued ?? 0 });
  charts.workers.push({ busy: pool?.workers.busy ?? 0, total: pool?.workers.total ?? 0 });
  charts.throughput.push({ requests: frame.requests.requestsPerSecond, tasks: pool?.tasksPerSecond ?? 0, shed: frame.requests.shedPerSecond });
  charts.latency.push(frame.requests.latency);
  charts.eventLoop.push({ p99: frame.eventLoopDelayP99Ms });
  charts.runTime.push(pool ? pool.runTime : { p50: 0, p95: 0, p99: 0 });
  renderWorkers(pool, frame.mode);
}

function renderWorkers(pool, mode) {
  const body = document.querySelector('#workers tbody');
  if (!pool) {
    body.innerHTML =
      mode === 'fleet'
        ? '<tr><td colspan="6" class="muted">fleet mode: the work runs on the fleet nodes (npm run fleet:node), whose pools are theirs</td></tr>'
        : '<tr><td colspan="6" class="muted">inline mode: the work runs on the event loop, there are no workers</td></tr>';
    return;
  }
  const rows = pool.perWorker.map((worker) => {
    const row = document.createElement('tr');
    row.className = worker.inFlight > 0 ? 'busy' : 'idle';
    row.dataset.threadId = String(worker.threadId);
    const cells = [
      `#${String(worker.threadId)}`,
      worker.inFlight > 0 ? 'busy' : worker.state,
      `<span class="bar" style="width:${String(Math.min(120, worker.inFlight * 24))}px"></span>${String(worker.inFlight)}`,
      String(worker.tasksCompleted),
      String(worker.errors),
      worker.averageRunTimeMs.toFixed(1),
    ];
    row.innerHTML = cells.map((cell) => `<td>${cell}</td>`).join('');
    return row;
  });
  body.replaceChildren(...rows);
}

function setConnection(online) {
  const badge = byId('connection');
  badge.textContent = online ? 'live' : 'offline';
  badge.className = `badge ${online ? 'online' : 'offline'}`;
}

function byId(id) {
  return document.getElementById(id);
}
