/** BullMQ's sandboxed processor for the benchmark: the same tasks, run in BullMQ's own worker threads (`useWorkerThreads`). */
import type { SandboxedJob } from 'bullmq';
import * as tasks from './tasks.js';

const run = tasks as unknown as Record<string, ((argument: unknown) => unknown) | undefined>;

export default function processor(job: SandboxedJob): Promise<unknown> {
  const task = run[job.name];
  if (task === undefined) throw new Error(`No task named ${job.name}`);
  return Promise.resolve(task(job.data));
}
