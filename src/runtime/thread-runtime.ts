import { Worker } from 'node:worker_threads';
import type { RuntimeEvents, RuntimeWorker, WorkerSpec } from './runtime.js';

/**
 * Workers inherit the host's Node flags by default; `--input-type` (set by
 * `node --input-type=module -e ...`) makes every worker fail, so it is left out.
 */
function inheritedExecArgv(): string[] | undefined {
  return process.execArgv.some((flag) => flag.startsWith('--input-type')) ? process.execArgv.filter((flag) => !flag.startsWith('--input-type')) : undefined;
}

/** Runs a worker as a `worker_threads` Worker. */
export function startThreadWorker(spec: WorkerSpec, events: RuntimeEvents): RuntimeWorker {
  const execArgv = spec.execArgv === undefined ? inheritedExecArgv() : [...spec.execArgv];
  const worker = new Worker(spec.entry, {
    workerData: spec.bootData,
    name: spec.name,
    ...(spec.env === undefined ? {} : { env: spec.env }),
    ...(execArgv === undefined ? {} : { execArgv }),
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
