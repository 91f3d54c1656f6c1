import { Worker } from 'node:worker_threads';
import type { RuntimeEvents, RuntimeWorker, WorkerSpec } from './runtime.js';

/** Runs a worker as a `worker_threads` Worker. */
export function startThreadWorker(spec: WorkerSpec, events: RuntimeEvents): RuntimeWorker {
  const worker = new Worker(spec.entry, {
    workerData: spec.bootData,
    name: spec.name,
    ...(spec.env === undefined ? {} : { env: spec.env }),
    ...(spec.execArgv === undefined ? {} : { execArgv: [...spec.execArgv] }),
    ...(spec.resourceLimits === undefined ? {} : { resourceLimits: spec.resourceLimits }),
  });
  worker.on('message', events.message);
  worker.on('error', events.error);
  worker.on('exit', events.exit);
  return {
    threadId: worker.threadId,
    post(message, transferList) {
      worker.postMessage(message, transferList);
    },
    terminate() {
      void worker.terminate();
    },
    ref(keepAlive) {
      if (keepAlive) worker.ref();
      else worker.unref();
    },
  };
}
