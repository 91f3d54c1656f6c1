/**
 * The soak: `npm run soak -- --seconds N [--threads T] [--in-flight K] [--fault-every-ms F]`.
 *
 * For N seconds it keeps K ordinary tasks in flight (mostly healthy, some
 * throwing, rejecting, aborted, or timing out in the queue) and injects a
 * fault every ~F ms (process.exit, exits with retries, hung tasks ended by
 * timeout or abort, unhandled rejections, stray timers, now and then an
 * OOM). It checks invariants all along, waits for everything to settle,
 * prints a summary, and exits 1 if any invariant broke.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { Pool, type PoolStats } from 'spindle';
import { Ledger } from './ledger.js';
import { fileRunCounts, sharedRunCounts } from './run-counts.js';
import { faultKinds, pickKind, trafficKinds, type FaultTasks, type TaskKind } from './task-mix.js';

const MB = 1024 * 1024;
const CHECK_INTERVAL_MS = 250;
/** A task unsettled this long counts as lost while the soak runs. */
const STUCK_AFTER_MS = 30_000;
/** After the last submission, everything must settle within this. */
const SETTLE_DEADLINE_MS = 30_000;
const COUNTER_SLOTS = 1 << 20;
/** Most the heap may grow, after a full collection, over the whole soak. */
const HEAP_GROWTH_LIMIT_MB = 32;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    threads: { type: 'string', default: '2' },
    'in-flight': { type: 'string', default: '100' },
    'fault-every-ms': { type: 'string', default: '200' },
    runtime: { type: 'string', default: 'thread' },
  },
});
const runtime = values.runtime;
const seconds = Number(values.seconds);
const threads = Number(values.threads);
const inFlightTarget = Number(values['in-flight']);
const faultIntervalMs = Number(values['fault-every-ms']);
if (!(seconds > 0) || !Number.isInteger(threads) || threads < 1 || !Number.isInteger(inFlightTarget) || inFlightTarget < 1 || !(faultIntervalMs > 0) || (runtime !== 'thread' && runtime !== 'process')) {
  console.error('usage: soak.js --seconds N [--threads T] [--in-flight K] [--fault-every-ms F] [--runtime thread|process]');
  process.exit(2);
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
function heapAfterCollectionMb(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / MB;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
// Process workers share no memory with the host: they count their runs in a file, checked at the end.
const runCounts = runtime === 'process' ? fileRunCounts() : sharedRunCounts(COUNTER_SLOTS);
const ledger = new Ledger(runCounts);
const faultsInjected = new Map<string, number>();
const sharedSignal = new AbortController().signal;
setMaxListeners(0, sharedSignal); // every pending 'count a run' task listens to it, on purpose

process.on('uncaughtException', (error) => { ledger.violation(`the host saw an uncaughtException: ${String(error)}`); });
process.on('unhandledRejection', (reason) => { ledger.violation(`the host saw an unhandledRejection: ${String(reason)}`); });

const pool = new Pool<FaultTasks>(new URL('../fixtures/fault-tasks.js', import.meta.url), {
  threads,
  runtime,
  resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
  maxTasksPerWorker: 5_000,
});
let oomExits = 0;
pool.on('workerExit', ({ reason }) => {
  if (reason === 'load-failed') ledger.violation('a worker failed to load the task module');
});
pool.on('workerError', ({ error }) => {
  if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') oomExits++;
});
pool.on('degraded', ({ error }) => { ledger.violation(`the pool became degraded: ${error.message}`); });

let taskNumber = 0;
let lastSubmittedAt = 0;
function submit(kind: TaskKind): void {
  lastSubmittedAt = performance.now();
  const number = taskNumber++;
  ledger.track(number, kind.name, kind.submit({ pool, slot: number, counter: ledger.counterFor(number), sharedSignal }));
}

let peakHeapMb = 0;
let mostWorkers = 0;
function checkInvariants(stats: PoolStats): void {
  peakHeapMb = Math.max(peakHeapMb, process.memoryUsage().heapUsed / MB);
  mostWorkers = Math.max(mostWorkers, stats.workers.total);
  if (stats.workers.total > threads) ledger.violation(`the pool had ${stats.workers.total} workers, more than its ${threads}`);
  if (stats.state !== 'running') ledger.violation(`the pool was ${stats.state}`);
  if (stats.submitted !== ledger.submitted) ledger.violation(`the pool counted ${stats.submitted} submitted tasks, the soak ${ledger.submitted}`);
  if (stats.completed + stats.failed + stats.aborted !== ledger.settled) {
    ledger.violation(`the pool counted ${stats.completed + stats.failed + stats.aborted} settled tasks, the soak saw ${ledger.settled}`);
  }
  const oldest = ledger.oldestPending(performance.now());
  if (oldest !== undefined && oldest.ageMs > STUCK_AFTER_MS) ledger.violation(`a ${oldest.kind} task was unsettled after ${Math.round(oldest.ageMs)} ms`);
}

async function keepTrafficFlowing(until: number): Promise<void> {
  while (performance.now() < until) {
    while (ledger.pendingCount < inFlightTarget) submit(pickKind(trafficKinds));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function injectFaults(until: number): Promise<void> {
  while (performance.now() < until) {
    const kind = pickKind(faultKinds);
    faultsInjected.set(kind.name, (faultsInjected.get(kind.name) ?? 0) + 1);
    submit(kind);
    await delay(faultIntervalMs * (0.5 + Math.random()));
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) return false;
    await delay(10);
  }
  return true;
}

await pool.ready;
const baselineHeapMb = heapAfterCollectionMb();
const started = performance.now();
const until = started + seconds * 1000;
const monitor = setInterval(() => { checkInvariants(pool.stats()); }, CHECK_INTERVAL_MS);
const progress = setInterval(() => {
  const stats = pool.stats();
  console.log(
    `  ${Math.round((performance.now() - started) / 1000)} s: ${ledger.submitted} tasks, ${ledger.settled} settled, ${stats.workerCrashes} crashes, ` +
      `${stats.workersStarted} workers started, heap ${(process.memoryUsage().heapUsed / MB).toFixed(1)} MB, violations ${ledger.violationCount}`,
  );
}, 10_000);

console.log(`Spindle soak: ${seconds} s, ${threads} ${runtime === 'process' ? 'processes' : 'threads'}, ${inFlightTarget} ordinary tasks in flight, a fault every ~${faultIntervalMs} ms`);
await Promise.all([keepTrafficFlowing(until), injectFaults(until)]);
const submittedAt = performance.now();
if (!(await waitUntil(() => ledger.pendingCount === 0, SETTLE_DEADLINE_MS))) {
  const { workers, queued, running } = pool.stats();
  ledger.violation(
    `${ledger.pendingCount} tasks never settled: ${[...new Set(ledger.pendingKinds())].join(', ')} ` +
      `(the pool: ${JSON.stringify({ workers, queued, running })})`,
  );
}
const settleMs = performance.now() - lastSubmittedAt;
clearInterval(monitor);
clearInterval(progress);
const lost = ledger.submitted - ledger.settled;
ledger.checkDeferredRuns();
runCounts.dispose();
if (!(await waitUntil(() => pool.stats().workers.idle === threads, 2_000))) ledger.violation(`the pool was not back at ${threads} ready workers 2 s after the soak`);
const finalStats = pool.stats();
checkInvariants(finalStats);
if (finalStats.completed + finalStats.failed + finalStats.aborted !== finalStats.submitted) ledger.violation('the pool has tasks it never settled');
const listenersLeft = getEventListeners(sharedSignal, 'abort').length;
if (listenersLeft !== 0) ledger.violation(`${listenersLeft} abort listeners were left on the shared signal`);
await delay(50);
const finalHeapMb = heapAfterCollectionMb();
if (finalHeapMb - baselineHeapMb > HEAP_GROWTH_LIMIT_MB) ledger.violation(`the heap grew by ${(finalHeapMb - baselineHeapMb).toFixed(1)} MB`);
const closeStarted = performance.now();
await pool.close({ timeout: 10_000 });
const closeMs = performance.now() - closeStarted;

const elapsedSeconds = (submittedAt - started) / 1000;
const faultsTotal = [...faultsInjected.values()].reduce((sum, count) => sum + count, 0);
const line = (label: string, value: string | number): void => { console.log(`  ${label.padEnd(30)}${String(value)}`); };
console.log(`\nSummary after ${elapsedSeconds.toFixed(1)} s (${threads} ${runtime === 'process' ? 'process workers' : 'threads'}, Node ${process.version})`);
line('tasks submitted', `${ledger.submitted} (${Math.round(ledger.submitted / elapsedSeconds)}/s)`);
line('faults injected', `${faultsTotal}: ${[...faultsInjected].map(([name, count]) => `${name} ${count}`).join(', ')}`);
line('settled', `${ledger.settled} (the last ${Math.round(settleMs)} ms after the last submission)`);
line('lost', lost);
line('resolved / rejected', `${finalStats.completed} / ${finalStats.failed}`);
line('respawns', `${finalStats.workersStarted - threads} (worker crashes ${finalStats.workerCrashes}, OOM ${oomExits}, most workers at once ${mostWorkers})`);
line('retried', finalStats.retried);
line('timed out', finalStats.timedOut);
line('aborted', finalStats.aborted);
line('peak heap', `${peakHeapMb.toFixed(1)} MB (after GC: ${baselineHeapMb.toFixed(1)} MB at start, ${finalHeapMb.toFixed(1)} MB at end)`);
line('close()', `${Math.round(closeMs)} ms`);
for (const [kind, tally] of ledger.byKind) line(`  ${kind}`, `${tally.submitted} submitted, ${tally.resolved} resolved, ${tally.rejected} rejected`);
line('invariant violations', ledger.violationCount);
for (const violation of ledger.violations) console.log(`    ✖ ${violation}`);
console.log(ledger.violationCount === 0 ? '\nPASS: every invariant held' : '\nFAIL: invariants broke');
process.exitCode = ledger.violationCount === 0 ? 0 : 1;
