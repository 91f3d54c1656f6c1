/**
 * `npm start`: the battle tests. First the pool's own (demo/pool-battle/):
 * one pool through five scenarios, every task accounted for. Then the HTTP
 * one: the demo service inline, then pooled, then as a cluster of pooled
 * processes (spindle/cluster), each in a child process under the same mixed
 * autocannon load, with the side-by-side table and whether the targets hold.
 * Exits 1 if a check of the pool battle test failed.
 *
 *   npm start -- --pool-only [--pool-scale 0.1] [--pool-threads 2]   only the pool battle test
 *   npm start -- --skip-pool                                          only the HTTP battle test
 *   npm start -- --duration 40 --warmup 3 --threads 2 --max-queue 64
 *   (--threads defaults to the number of cores: see docs/demo.md)
 *   npm start -- --skip-cluster | --cluster-processes 2              the HTTP battle's cluster phase
 *   npm start -- --serve [--inline] [--port 3000]   keeps a service running, with /dashboard
 *   npm start -- --cluster [--processes 2] [--port 3000]   keeps it running under spindle/cluster
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { runPoolBattle } from './pool-battle/run-pool-battle.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: {
    serve: { type: 'boolean', default: false },
    duration: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '3' },
    threads: { type: 'string' },
    'max-queue': { type: 'string' },
    'pool-only': { type: 'boolean', default: false },
    'skip-pool': { type: 'boolean', default: false },
    'pool-scale': { type: 'string', default: '1' },
    'pool-threads': { type: 'string' },
    cluster: { type: 'boolean', default: false },
    'skip-cluster': { type: 'boolean', default: false },
    'cluster-processes': { type: 'string', default: '2' },
  },
});

if (values.serve === true) {
  // The service's own entry reads the remaining flags (--inline, --port, ...).
  await import('./service/main.js');
} else if (values.cluster === true) {
  // The supervisor's entry reads the remaining flags (--processes, --port, ...).
  await import('./cluster/main.js');
} else {
  let exitCode = 0;
  if (values['skip-pool'] !== true) {
    const scale = Number(values['pool-scale']);
    const threads = typeof values['pool-threads'] === 'string' ? Number(values['pool-threads']) : availableParallelism();
    if (!(scale > 0) || !Number.isInteger(threads) || threads < 1) throw new Error('Expected `--pool-scale` > 0 and `--pool-threads` an integer >= 1');
    exitCode = (await runPoolBattle({ threads, scale, output: process.stdout })).exitCode;
  }
  if (values['pool-only'] !== true) {
    if (values['skip-pool'] !== true) console.log('');
    await runHttpBattle();
    if (exitCode !== 0) console.log('✘ The pool battle test above failed: see its failed checks.');
  }
  process.exitCode = exitCode;
}

/** The HTTP battle test: the same mixed load against the service inline, then pooled. */
async function runHttpBattle(): Promise<void> {
  // Imported here, so that `--pool-only` needs nothing of the HTTP part.
  const [{ runBattleTest }, { buildLoadPlan }, { createProgressPrinter }, { renderResultsTable }, { checkTargets }] = await Promise.all([
    import('./battle/battle-test.js'),
    import('./battle/load-plan.js'),
    import('./battle/progress-printer.js'),
    import('./battle/results-table.js'),
    import('./battle/targets.js'),
  ]);
  const durationSeconds = Number(values.duration);
  const warmupSeconds = Number(values.warmup);
  if (!(durationSeconds >= 1) || !(warmupSeconds >= 0)) throw new Error('Expected `--duration` >= 1 and `--warmup` >= 0 (seconds)');
  const pooledFlags = [
    // The service's main thread only parses and sends here, so every core gets a worker.
    '--threads', typeof values.threads === 'string' ? values.threads : String(availableParallelism()),
    ...(typeof values['max-queue'] === 'string' ? ['--max-queue', values['max-queue']] : []),
  ];
  const clusterFlags = values['skip-cluster'] === true ? undefined : ['--processes', String(values['cluster-processes']), ...(typeof values['max-queue'] === 'string' ? ['--max-queue', values['max-queue']] : [])];
  console.log(`Spindle battle test: the same mixed load for ${String(durationSeconds)} s against the service inline, then pooled${clusterFlags === undefined ? '' : ', then as a cluster'} (after ${String(warmupSeconds)} s of warm-up each).`);
  const plan = await buildLoadPlan();
  for (const load of plan) console.log(`  ${load.label.padEnd(20)} ${String(load.connections)} connections, ${load.payload}`);
  console.log(`  pooled service flags: ${pooledFlags.join(' ')}`);
  // Each process of the cluster gets its share of the cores from planCluster() (see docs/cluster.md).
  if (clusterFlags !== undefined) console.log(`  cluster flags: ${clusterFlags.join(' ')} (threads per process: planned)`);
  const phases = await runBattleTest(plan, { durationSeconds, warmupSeconds, pooledFlags, ...(clusterFlags === undefined ? {} : { clusterFlags }) }, createProgressPrinter(durationSeconds));
  const [inline, pooled, cluster] = phases;
  if (inline === undefined || pooled === undefined) throw new Error('The battle test ended without both phases');
  console.log(`\n${renderResultsTable(plan, inline, pooled, cluster)}\n`);
  if (pooled.poolStats !== null) {
    const stats = pooled.poolStats;
    console.log(`Pool at the end: ${String(stats.workers.total)} workers, ${String(stats.completed)} tasks completed, ${String(stats.rejectedQueueFull)} shed (queue full), run time p50/p99 ${String(stats.runTime.p50)}/${String(stats.runTime.p99)} ms, queue wait p50/p99 ${String(stats.waitTime.p50)}/${String(stats.waitTime.p99)} ms.`);
  }
  for (const target of checkTargets(inline, pooled)) console.log(`${target.met ? '✔ met    ' : '✘ NOT met'}  ${target.description}`);
  const busiest = Math.max(inline.machineLoadAverage, pooled.machineLoadAverage);
  if (busiest > availableParallelism()) {
    console.log(`Note: other processes were competing for the ${String(availableParallelism())} cores (load average up to ${busiest.toFixed(1)} before a phase); tail latencies are noisier than on a quiet machine.`);
  }
}
