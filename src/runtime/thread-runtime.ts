import { MessageChannel, receiveMessageOnPort, Worker, type WorkerOptions } from 'node:worker_threads';
import type { ThreadStartMessage } from '../protocol/messages.js';
import type { RuntimeEvents, RuntimeWorker, WorkerSpec } from './runtime.js';

/**
 * Workers inherit the host's Node flags by default; `--input-type` (set by
 * `node --input-type=module -e ...`) makes every worker fail, so it is left out.
 */
function inheritedExecArgv(): string[] | undefined {
  return process.execArgv.some((flag) => flag.startsWith('--input-type')) ? process.execArgv.filter((flag) => !flag.startsWith('--input-type')) : undefined;
}

/**
 * Runs a worker as a `worker_threads` Worker. Node's `workerData` is the
 * pool's `workerData` option, as in any Worker; Spindle's own start-up data
 * and a MessageChannel of its own (see worker/entry.ts) go in the first
 * message on `parentPort`. Messages the worker sent before it ended are all
 * delivered before `exit`.
 */
const threadEntry = new URL('../worker/entry.js', import.meta.url);

export function startThreadWorker(spec: WorkerSpec, events: RuntimeEvents): RuntimeWorker {
  const execArgv = spec.execArgv === undefined ? inheritedExecArgv() : [...spec.execArgv];
  const { port1: port, port2: workerPort } = new MessageChannel();
  const start: ThreadStartMessage = { port: workerPort, boot: spec.bootData };
  let worker: Worker;
  try {
    // A null prototype: Node's Worker reads options such as `env` and `execArgv` through the prototype chain,
    // so a polluted Object.prototype would otherwise reach every worker.
    worker = new Worker(threadEntry, Object.assign(Object.create(null) as WorkerOptions, {
      workerData: spec.workerData,
      name: spec.name,
      ...(spec.env === undefined ? {} : { env: spec.env }),
      ...(execArgv === undefined ? {} : { execArgv }),
      ...(spec.resourceLimits === undefined ? {} : { resourceLimits: spec.resourceLimits }),
      ...(spec.argv === undefined ? {} : { argv: [...spec.argv] }),
      ...(spec.trackUnmanagedFds === undefined ? {} : { trackUnmanagedFds: spec.trackUnmanagedFds }),
    }));
    worker.postMessage(start, [workerPort]);
  } catch (error) {
    port.close();
    throw error;
  }
  // Referenced like the Worker (see ref()): a worker with work keeps the host alive, an idle one does not.
  port.on('message', events.message);
  worker.on('error', events.error);
  worker.on('exit', (exitCode) => {
    for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
      events.message(received.message as readonly unknown[]);
    }
    port.close();
    events.exit(exitCode);
  });
  return {
    threadId: worker.threadId,
    sharesMemory: true,
    thread: worker,
    post(message, transferList) {
      port.postMessage(message, transferList);
    },
    terminate() {
      void worker.terminate();
    },
    ref(keepAlive) {
      if (keepAlive) {
        worker.ref();
        port.ref();
      } else {
        worker.unref();
        port.unref();
      }
    },
  };
}
