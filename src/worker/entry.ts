/**
 * The script every pool worker starts with: it waits for its start message,
 * loads the task module, runs its `setup` export if any, reports READY (or
 * LOAD_FAILED), then runs tasks.
 *
 * The pool talks to the worker over a MessagePort of its own, handed over in
 * the first message on `parentPort`, not over `parentPort` itself: task code
 * that removes every `parentPort` listener or closes it cannot cut the
 * worker off the pool. Node's `workerData` is the pool's `workerData` option.
 */
import { once } from 'node:events';
import { parentPort, threadId, workerData as nodeWorkerData } from 'node:worker_threads';
import { MessageKind, type ThreadStartMessage } from '../protocol/messages.js';
import { toWireError } from '../protocol/wire-error.js';
import { loadTaskModule } from './load-module.js';
import { TaskRunner } from './runner.js';
import { locateSyntaxError } from './syntax-location.js';
import { setWorkerData } from './worker-data.js';

if (parentPort === null) throw new Error('spindle/worker entry must run inside a worker thread');
const [{ port, boot }] = (await once(parentPort, 'message')) as [ThreadStartMessage];
setWorkerData(nodeWorkerData);

try {
  const { tasks, setup, teardown } = await loadTaskModule(boot.moduleUrl);
  await setup?.({ workerData: nodeWorkerData, threadId });
  const runner = new TaskRunner(port, tasks, boot.sharedState, threadId, boot.maxHeapUsedBytes, boot.busyPollUs, teardown);
  port.on('message', (message: readonly unknown[]) => {
    runner.handle(message);
  });
  process.on('exit', () => {
    runner.flushBeforeExit();
  });
  port.postMessage([MessageKind.Ready, [...tasks.keys()]]);
} catch (error) {
  const location = error instanceof SyntaxError ? locateSyntaxError(boot.moduleUrl) : undefined;
  port.postMessage([MessageKind.LoadFailed, toWireError(error), location]);
  port.close();
}
