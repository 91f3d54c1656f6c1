/**
 * One consumer of the fleet benchmark, in a process of its own:
 * `node consumer.js '<json settings>'`. Kinds:
 *
 *   inline   a BullMQ Worker whose processor calls the task on its event loop
 *   sandbox  a BullMQ Worker with a sandboxed processor file in worker threads (`useWorkerThreads`)
 *   spindle  serveQueue() on a Spindle pool (its default concurrency where none is given)
 *
 * Sends `ready` over IPC once it takes jobs; answers `probe` with a
 * `ConsumerProbe`; closes on `close`.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'bullmq';
import { Pool } from 'spindle';
import { serveQueue } from 'spindle/bullmq';
import * as tasks from './tasks.js';

export type ConsumerKind = 'inline' | 'sandbox' | 'spindle';

export interface ConsumerSettings {
  readonly kind: ConsumerKind;
  readonly redisUrl: string;
  readonly queue: string;
  /** Jobs at once (BullMQ's concurrency); the sandbox starts one worker thread per job it runs at once. Null: serveQueue()'s default. */
  readonly concurrency: number | null;
  /** Spindle's worker threads. */
  readonly threads: number;
}

/** What a consumer says of itself when asked (`probe`). */
export interface ConsumerProbe {
  /** User and system CPU time the process has used so far, all its threads together, in µs. */
  readonly cpuUs: number;
  /** CPU time of the main thread alone so far (its event loop: BullMQ, ioredis, the pool's side), in µs; null where the system does not tell (Linux does). */
  readonly mainThreadCpuUs: number | null;
  /** Worker threads that run jobs now: the pool's for Spindle, BullMQ's sandbox children for the sandbox, none inline. */
  readonly workerThreads: number;
  /** BullMQ's concurrency now (serveQueue()'s default changes it with the jobs' length). */
  readonly concurrency: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as ConsumerSettings;
const connection = { url: settings.redisUrl, maxRetriesPerRequest: null };
let close: () => Promise<unknown>;
let workerThreads: () => number = () => 0;
let concurrency: () => number;
let closing = false;
// The benchmark is gone (it failed or was killed): a consumer never outlives it.
process.once('disconnect', () => {
  if (!closing) process.exit(1);
});

if (settings.kind === 'spindle') {
  const pool = new Pool<typeof tasks>(new URL('./tasks.js', import.meta.url), { threads: settings.threads });
  const node = serveQueue(pool, { queue: settings.queue, connection: settings.redisUrl, ...(settings.concurrency === null ? {} : { concurrency: settings.concurrency }) });
  await node.ready;
  concurrency = () => node.worker.concurrency;
  close = () => node.close();
  workerThreads = () => pool.stats().workers.total;
} else {
  // BullMQ's sandbox pipes each worker thread's output into this process's: one set of listeners per thread.
  if (settings.kind === 'sandbox') for (const stream of [process.stdout, process.stderr]) stream.setMaxListeners((settings.concurrency ?? 1) + 10);
  const run = tasks as unknown as Record<string, (argument: unknown) => unknown>;
  const processor = settings.kind === 'sandbox' ? new URL('./sandbox-processor.js', import.meta.url) : (job: { name: string; data: unknown }) => Promise.resolve(run[job.name]?.(job.data));
  const worker = new Worker(settings.queue, processor, { connection, concurrency: settings.concurrency ?? 1, useWorkerThreads: settings.kind === 'sandbox' });
  concurrency = () => worker.concurrency;
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  close = () => worker.close();
  if (settings.kind === 'sandbox') workerThreads = () => sandboxChildren(worker);
}
process.send?.('ready');
process.on('message', (message) => {
  if (message === 'probe') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuUs: user + system, mainThreadCpuUs: mainThreadCpuUs(), workerThreads: workerThreads(), concurrency: concurrency() } satisfies ConsumerProbe);
    return;
  }
  if (message !== 'close') return;
  closing = true;
  void close().then(() => {
    process.disconnect();
  });
});

/** The calling thread's time on a CPU, from Linux's schedstat (nanoseconds), in µs; null elsewhere. */
function mainThreadCpuUs(): number | null {
  try {
    const onCpuNs = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(onCpuNs) ? onCpuNs / 1000 : null;
  } catch {
    return null;
  }
}

/** The worker threads of BullMQ's sandbox: its child pool (not public API) keeps each one, busy or free, until the worker closes. */
function sandboxChildren(worker: Worker): number {
  const childPool = (worker as unknown as { childPool?: { retained: Record<string, unknown>; getAllFree(): unknown[] } }).childPool;
  return childPool === undefined ? 0 : Object.keys(childPool.retained).length + childPool.getAllFree().length;
}
