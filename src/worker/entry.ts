/**
 * The script every pool worker starts with: it loads the task module named
 * in workerData, reports READY (or LOAD_FAILED), then runs tasks.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { MessageKind, type WorkerBootData } from '../protocol/messages.js';
import { toWireError } from '../protocol/wire-error.js';
import { loadTaskModule } from './load-module.js';
import { TaskRunner } from './runner.js';

const port = parentPort;
if (port === null) throw new Error('spindle/worker entry must run inside a worker thread');
const boot = workerData as WorkerBootData;

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
