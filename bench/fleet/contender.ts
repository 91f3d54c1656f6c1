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
import type { ConsumerKind, ConsumerProbe, ConsumerSettings } from './consumer.js';
import { measureBullmq, measureQueuePool, type Job, type Measurement } from './measure.js';

export const CONTENDERS = ['inline', 'sandbox', 'wide-sandbox', 'spindle', 'queuepool'] as const;
export type Contender = (typeof CONTENDERS)[number];

/** A measurement, with what the consumer process and Redis spent on it. */
export interface ContenderMeasurement extends Measurement {
  /** CPU time of the consumer process (all its threads) per job, in ms. */
  readonly consumerCpuMsPerJob: number;
  /** CPU time of the consumer's main thread alone per job, in ms, where the system tells it (Linux). */
  readonly consumerMainThreadCpuMsPerJob?: number;
  /** Commands Redis processed per job, from every client (the commands that scripts run included). */
  readonly redisCommandsPerJob: number;
}

export interface OpenContender {
  /** `count` jobs, `window` at a time. */
  measure(count: number, window: number): Promise<ContenderMeasurement>;
  /** Worker threads its consumer runs jobs on now. */
  workerThreads(): Promise<number>;
  /** Its consumer's BullMQ concurrency now. */
  concurrency(): Promise<number>;
  /** Stalled jobs its queue has reported so far. */
  stalled(): number;
  close(): Promise<void>;
}

export interface ContenderPlan {
  readonly redisUrl: string;
  readonly queue: string;
  readonly job: Job;
  /** BullMQ's concurrency: of every consumer, twice it for `wide-sandbox`, and serveQueue()'s default for Spindle where `nodeConcurrency` is 'default'. */
  readonly concurrency: number;
  readonly nodeConcurrency: number | 'default';
  readonly threads: number;
  /** Commands Redis has processed so far (its `total_commands_processed`), less the call that asks. */
  readonly redisCommands: () => Promise<number>;
}

export async function openContender(contender: Contender, plan: ContenderPlan): Promise<OpenContender> {
  const { redisUrl, queue, job, threads, redisCommands } = plan;
  const kind: ConsumerKind = contender === 'queuepool' ? 'spindle' : contender === 'wide-sandbox' ? 'sandbox' : contender;
  const concurrency = kind === 'spindle' ? (plan.nodeConcurrency === 'default' ? null : plan.nodeConcurrency) : contender === 'wide-sandbox' ? 2 * plan.concurrency : plan.concurrency;
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
    async measure(count, window) {
      const [before, commandsBefore] = [await consumer.probe(), await redisCommands()];
      const measurement = await (fleet === undefined ? measureBullmq(producer, events, job, count, window) : measureQueuePool(fleet, job, count, window));
      const [commandsAfter, after] = [await redisCommands(), await consumer.probe()];
      const mainThread = before.mainThreadCpuUs === null || after.mainThreadCpuUs === null ? {} : { consumerMainThreadCpuMsPerJob: (after.mainThreadCpuUs - before.mainThreadCpuUs) / 1000 / count };
      return { ...measurement, consumerCpuMsPerJob: (after.cpuUs - before.cpuUs) / 1000 / count, ...mainThread, redisCommandsPerJob: (commandsAfter - commandsBefore) / count };
    },
    workerThreads: async () => (await consumer.probe()).workerThreads,
    concurrency: async () => (await consumer.probe()).concurrency,
    stalled: () => stalled,
    async close() {
      await fleet?.close();
      await Promise.all([producer.close(), events.close()]);
      await consumer.close();
    },
  };
}

async function startConsumer(settings: ConsumerSettings): Promise<{ probe(): Promise<ConsumerProbe>; close(): Promise<void> }> {
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE;
  const child = fork(fileURLToPath(new URL('./consumer.js', import.meta.url)), [JSON.stringify(settings)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  await Promise.race([once(child, 'message'), exited.then(() => Promise.reject(new Error(`The ${settings.kind} consumer exited before it was ready`)))]);
  return {
    async probe() {
      child.send('probe');
      const [answer] = (await once(child, 'message')) as [ConsumerProbe];
      return answer;
    },
    async close() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.send('close');
      await exited;
      clearTimeout(timer);
    },
  };
}
