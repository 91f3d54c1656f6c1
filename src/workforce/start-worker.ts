import type { WorkerBootData } from '../protocol/messages.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import type { RuntimeWorkerFactory } from '../runtime/runtime.js';
import { WorkerHandle, type SentTask } from './worker-handle.js';
import { dispatchWorkerMessage, type WorkerMessageHandlers } from './worker-messages.js';

/**
 * Starts one worker through the runtime: its boot data (the module, the
 * shared buffer its handle owns, the pool's settings), its messages routed
 * to `handlers`, and a deadline: a worker that has not loaded its module
 * within `startTimeout` is ended and counts as failed to load. Throws if the
 * runtime cannot start it at all.
 */
export function startWorker<T extends SentTask>(
  index: number,
  moduleUrl: URL,
  options: ResolvedOptions,
  runtime: RuntimeWorkerFactory,
  handlers: WorkerMessageHandlers<T>,
  onExit: (worker: WorkerHandle<T>, exitCode: number, signal: NodeJS.Signals | undefined) => void,
): WorkerHandle<T> {
  const worker = new WorkerHandle<T>(index, options.asyncTasksPerWorker);
  const bootData: WorkerBootData = {
    moduleUrl: moduleUrl.href,
    sharedState: worker.memory,
    maxHeapUsedBytes: options.maxHeapUsedBytes,
    busyPollUs: options.busyPollUs,
    asyncTasksPerWorker: options.asyncTasksPerWorker,
  };
  worker.runtime = runtime(
    {
      bootData,
      name: `${options.name}-${String(index)}`,
      workerData: options.workerData,
      env: options.env,
      execArgv: options.execArgv?.(index),
      resourceLimits: options.resourceLimits,
      permissions: options.permissions,
      argv: options.argv,
      trackUnmanagedFds: options.trackUnmanagedFds,
    },
    {
      message: (message) => {
        dispatchWorkerMessage(worker, message, handlers);
      },
      error: (error, options) => {
        if (options?.weak !== true || worker.lastError === undefined) worker.lastError = error;
      },
      exit: (exitCode, signal) => {
        onExit(worker, exitCode, signal);
      },
    },
  );
  const startDeadline = setTimeout(() => {
    if (worker.state !== 'starting') return;
    worker.lastError = new Error(`it did not finish loading within ${String(options.startTimeout)} ms (startTimeout)`);
    worker.endReason = 'start-timeout';
    worker.endWhileLoading();
  }, options.startTimeout);
  startDeadline.unref();
  worker.graceTimers.add(startDeadline);
  return worker;
}
