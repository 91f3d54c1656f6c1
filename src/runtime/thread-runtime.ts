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
 * delivered before `exit`, which is reported once that channel has closed.
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
  // The port closes when either side closes it, a turn or two later: the exit is reported once it has, so that once a
  // pool's close() or destroy() resolves, none of its workers' handles is left (Node 24 sometimes closes it after 'exit').
  let portClosed = false;
  let exitCode: number | undefined;
  port.once('close', () => {
    portClosed = true;
    if (exitCode !== undefined) events.exit(exitCode);
  });
  worker.on('exit', (code) => {
    for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
      events.message(received.message as readonly unknown[]);
    }
    exitCode = code;
    if (portClosed) events.exit(code);
    else port.close();
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
