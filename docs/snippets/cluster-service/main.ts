import assert from 'node:assert/strict';
import { createServer } from 'node:net';

// Not shown: a free port for this run.
const probe = createServer().listen(0, '127.0.0.1');
await new Promise((resolve) => probe.once('listening', resolve));
process.env.PORT = String((probe.address() as { port: number }).port);
await new Promise((resolve) => probe.close(resolve));

// #region shown
// main.ts: the primary
import { startCluster } from 'spindle/cluster';

const cluster = startCluster({
  worker: import.meta.resolve('./server.js'),
  processes: 2, // default: planned from the cores
  threadsPerProcess: 1,
  oversubscribe: true, // 2 × (1 + 1) threads may exceed the cores here
});
cluster.on('processExit', (exit) => console.log(`pid ${String(exit.pid)} ended: ${exit.reason}`));
cluster.on('degraded', ({ slot, respawnInMs }) => console.log(`slot ${String(slot)} keeps dying; next try in ${String(respawnInMs)} ms`));
await cluster.ready; // every process listens, every pool is warm
// #endregion

// Not shown: what the docs test checks.
const url = `http://127.0.0.1:${process.env.PORT}`;
const answers = await Promise.all([1, 2, 3, 4].map(async () => (await fetch(`${url}/secret`)).text()));
assert.equal(new Set(answers.map((answer) => /pid (\d+)/.exec(answer)?.[1])).size, 2, 'both processes answered');
assert.match(await (await fetch(`${url}/metrics`)).text(), /^spindle_tasks_total\{outcome="completed"\} 4$/m);

// #region snapshot
const { processes } = cluster.snapshot();
for (const { slot, pid, uptimeMs, restarts, pool } of processes) {
  console.log(`slot ${String(slot)}: pid ${String(pid)}, up ${String(uptimeMs)} ms, ${String(restarts)} restarts, ${String(pool?.completed ?? 0)} tasks done`);
}
await cluster.reload(); // a rolling restart, as on SIGHUP
await cluster.close(); // drain every process, as on SIGTERM
// #endregion
assert.equal(cluster.state, 'closed');
