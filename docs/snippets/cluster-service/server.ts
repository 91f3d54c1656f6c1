// server.ts: what each process runs: its server and its pool, then clusterWorker()
import { createServer } from 'node:http';
import { Registry } from 'prom-client';
import { Pool } from 'spindle';
import { clusterWorker, metricsContentType } from 'spindle/cluster';
import { registerPoolMetrics } from 'spindle/prometheus';

// No `threads`: the pool takes its share from SPINDLE_THREADS, which the supervisor sets.
const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'));
const registry = new Registry();
registerPoolMetrics(pool, { registry });

const server = createServer((request, response) => {
  if (request.url === '/metrics') {
    // Every process's metrics, summed by the primary: any process answers for the fleet.
    void worker.fleetMetrics().then((text) => response.writeHead(200, { 'content-type': metricsContentType }).end(text));
    return;
  }
  pool.run('hashPassword', request.url ?? '/').then(
    (hash) => response.end(`${hash} (pid ${String(process.pid)})\n`),
    () => response.writeHead(503).end(),
  );
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');

// Ready once the server listens and the pool's threads are up; drains on the primary's word.
const worker = await clusterWorker({ server, pool, registry });
