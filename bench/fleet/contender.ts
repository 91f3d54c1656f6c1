/**
 * One contender of the fleet benchmark, open for a whole workload: its
 * consumer process on a queue of its own, the producer side (a plain BullMQ
 * Queue and QueueEvents, or a QueuePool for `queuepool`), and the count of
 * stalled jobs its queue reported. The benchmark measures the contenders of
 * a workload in interleaved rounds, so that a burst of load on a shared
 * machine falls on all of them rather than on one.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { QueuePool } from 'spindle/bullmq';
import type { ConsumerKind, ConsumerSettings } from './consumer.js';
import { measureBullmq, measureQueuePool, type Job, type Measurement } from './measure.js';

export const CONTENDERS = ['inline', 'sandbox', 'spindle', 'queuepool'] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface OpenContender {
  /** `count` jobs, `window` at a time. */
  measure(count: number, window: number): Promise<Measurement>;
  /** Stalled jobs its queue has reported so far. */
  stalled(): number;
  close(): Promise<void>;
}

export interface ContenderPlan {
  readonly redisUrl: string;
  readonly queue: string;
  readonly job: Job;
  readonly concurrency: number;
  readonly threads: number;
}

export async function openContender(contender: Contender, plan: ContenderPlan): Promise<OpenContender> {
  const { redisUrl, queue, job, concurrency, threads } = plan;
  const kind: ConsumerKind = contender === 'queuepool' ? 'spindle' : contender;
  const consumer = await startConsumer({ kind, redisUrl, queue, concurrency, threads });
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const producer = new Queue(queue, { connection });
  // A fresh queue: reading its events from the start, none can slip past before the first read.
  const events = new QueueEvents(queue, { connection, lastEventId: '0' });
  let stalled = 0;
  events.on('stalled', () => stalled++);
  await events.waitUntilReady();
  const fleet = contender === 'queuepool' ? new QueuePool<typeof import('./tasks.js')>({ queue, connection: redisUrl }) : undefined;
  await fleet?.ready;
  return {
    measure: (count, window) => (fleet === undefined ? measureBullmq(producer, events, job, count, window) : measureQueuePool(fleet, job, count, window)),
    stalled: () => stalled,
    async close() {
      await fleet?.close();
      await Promise.all([producer.close(), events.close()]);
      await consumer.close();
    },
  };
}

async function startConsumer(settings: ConsumerSettings): Promise<{ close(): Promise<void> }> {
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE;
  const child = fork(fileURLToPath(new URL('./consumer.js', import.meta.url)), [JSON.stringify(settings)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  await Promise.race([once(child, 'message'), exited.then(() => Promise.reject(new Error(`The ${settings.kind} consumer exited before it was ready`)))]);
  return {
    async close() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.send('close');
      await exited;
      clearTimeout(timer);
    },
  };
}
