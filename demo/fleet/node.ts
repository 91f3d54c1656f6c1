/**
 * A fleet node of the demo: serves the demo's tasks (demo/tasks.ts) from
 * Redis on a Spindle pool, for a service started with `--fleet`.
 *
 *   npm run fleet:node -- --fleet redis://127.0.0.1:6379 [--threads 2]
 *
 * Start as many as you like, on this machine or others; SIGTERM (or Ctrl-C)
 * stops taking jobs, finishes the running ones and exits.
 */
import { parseArgs } from 'node:util';
import { Pool } from 'spindle';
import { serveQueue } from 'spindle/bullmq';
import { DEMO_FLEET_QUEUE } from '../service/fleet-runner.js';
import type { DemoTasks } from '../service/task-runner.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: {
    fleet: { type: 'string', default: 'redis://127.0.0.1:6379' },
    threads: { type: 'string' },
  },
});
const redisUrl = String(values.fleet);
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new Error(`Expected \`--threads\` to be an integer >= 1, got \`${String(values.threads)}\``);

const pool = new Pool<DemoTasks>(new URL('../tasks.js', import.meta.url), { name: 'spindle-fleet-node', ...(threads === undefined ? {} : { threads }) });
const node = serveQueue(pool, { queue: DEMO_FLEET_QUEUE, connection: redisUrl });
node.closeOnSignal();
let completed = 0;
let failed = 0;
node.worker.on('completed', () => completed++);
node.worker.on('failed', () => failed++);
await node.ready;
console.log(`Spindle fleet node ${String(process.pid)}: serving queue ${DEMO_FLEET_QUEUE} on ${redisUrl} with ${String(pool.stats().workers.total)} worker threads`);
const report = setInterval(() => {
  console.log(`  ${new Date().toISOString()}  ${String(completed)} jobs completed, ${String(failed)} failed, ${String(pool.stats().running)} running`);
}, 5_000);
report.unref();
