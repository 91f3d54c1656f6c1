/**
 * The script every pool worker starts with: it loads the task module named
 * in its boot data, reports READY (or LOAD_FAILED), then runs tasks.
 *
 * The pool talks to the worker over a MessagePort of its own, handed over in
 * `workerData`, not over `parentPort`: task code that removes every
 * `parentPort` listener or closes it cannot cut the worker off the pool.
 */
import { threadId, workerData } from 'node:worker_threads';
import { MessageKind, type ThreadWorkerData } from '../protocol/messages.js';
import { toWireError } from '../protocol/wire-error.js';
import { loadTaskModule } from './load-module.js';
import { TaskRunner } from './runner.js';

const { port, boot } = workerData as ThreadWorkerData;

try {
  const tasks = await loadTaskModule(boot.moduleUrl);
  const runner = new TaskRunner(port, tasks, boot.sharedState, threadId, boot.maxHeapUsedBytes, boot.busyPollUs);
  port.on('message', (message: readonly unknown[]) => {
    runner.handle(message);
  });
  process.on('exit', () => {
    runner.flushBeforeExit();
  });
  port.postMessage([MessageKind.Ready, [...tasks.keys()]]);
} catch (error) {
  port.postMessage([MessageKind.LoadFailed, toWireError(error)]);
  port.close();
}
