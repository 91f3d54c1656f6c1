/**
 * The producer side of the fleet benchmark: keeps `window` jobs in flight
 * until `count` have finished, and times each from its add to its completed
 * event. The producer is plain BullMQ (Queue + QueueEvents) for every
 * consumer, so that only the consumers differ; `measureQueuePool` times the
 * same through Spindle's QueuePool, end to end.
 */
import type { Queue, QueueEvents } from 'bullmq';
import type { QueuePool } from 'spindle/bullmq';
import { percentile } from '../report/statistics.js';

export interface Measurement {
  readonly jobs: number;
  readonly jobsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failed: number;
}

export interface Job {
  readonly name: string;
  readonly data: number;
}

/** Runs `count` jobs through `queue`, `window` at a time. */
export async function measureBullmq(queue: Queue, events: QueueEvents, job: Job, count: number, window: number): Promise<Measurement> {
  const waiting = new Map<string, (failed: boolean) => void>();
  /** Events that came before their add() resolved. */
  const early = new Map<string, boolean>();
  const onFinished = (jobId: string, failed: boolean): void => {
    const settle = waiting.get(jobId);
    if (settle === undefined) early.set(jobId, failed);
    else {
      waiting.delete(jobId);
      settle(failed);
    }
  };
  const onCompleted = ({ jobId }: { jobId: string }): void => {
    onFinished(jobId, false);
  };
  const onFailed = ({ jobId }: { jobId: string }): void => {
    onFinished(jobId, true);
  };
  events.on('completed', onCompleted);
  events.on('failed', onFailed);
  try {
    return await runWindow(count, window, async () => {
      const added = await queue.add(job.name, job.data, { removeOnComplete: true, removeOnFail: true });
      const jobId = added.id ?? '';
      const failed = early.get(jobId);
      if (failed !== undefined) {
        early.delete(jobId);
        return !failed;
      }
      return new Promise<boolean>((resolve) => waiting.set(jobId, (jobFailed) => { resolve(!jobFailed); }));
    });
  } finally {
    events.off('completed', onCompleted);
    events.off('failed', onFailed);
  }
}

/** The same through a QueuePool: from `run()` to its result. */
export function measureQueuePool(fleet: QueuePool<typeof import('./tasks.js')>, job: Job, count: number, window: number): Promise<Measurement> {
  const name = job.name as 'square' | 'fib';
  return runWindow(count, window, () =>
    fleet.run(name, job.data).then(
      () => true,
      () => false,
    ),
  );
}

/** Keeps `window` calls of `one` in flight until `count` have finished; each resolves to whether it succeeded. */
async function runWindow(count: number, window: number, one: () => Promise<boolean>): Promise<Measurement> {
  const latencies: number[] = [];
  let failed = 0;
  let started = 0;
  const startedAt = performance.now();
  const lane = async (): Promise<void> => {
    while (started < count) {
      started++;
      const at = performance.now();
      const ok = await one();
      latencies.push(performance.now() - at);
      if (!ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  const seconds = (performance.now() - startedAt) / 1000;
  return { jobs: count, jobsPerSecond: count / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), failed };
}

/** Round trips of a Redis PING, one at a time: the floor under any job. */
export async function pingRoundTrips(ping: () => Promise<unknown>, count: number): Promise<{ readonly p50Ms: number; readonly p99Ms: number }> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const at = performance.now();
    await ping();
    samples.push(performance.now() - at);
  }
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}
