import { MessageKind, type WorkerBootData } from '../protocol/messages.js';
import { toWireError } from '../protocol/wire-error.js';
import type { PoolChannel } from './channel.js';
import { reportExit } from './exit-report.js';
import { loadTaskModule, type ModuleLoading } from './load-module.js';
import { TaskRunner } from './runner.js';
import { locateSyntaxError } from './syntax-location.js';
import { setWorkerData } from './worker-data.js';

/**
 * What every worker does once it has its channel to the pool, in a thread or
 * a process alike: load the task module, run its `setup` export, report
 * READY (or LOAD_FAILED, with where a syntax error is), then run tasks.
 * `loading` says how the module is loaded (see load-module.ts).
 */
export async function serve(channel: PoolChannel, boot: WorkerBootData, workerData: unknown, workerId: number, loading: ModuleLoading): Promise<void> {
  setWorkerData(workerData);
  try {
    const { tasks, setup, teardown } = await loadTaskModule(boot.moduleUrl, loading);
    await setup?.({ workerData, threadId: workerId });
    const runner = new TaskRunner(channel, tasks, boot.sharedState, workerId, boot.maxHeapUsedBytes, boot.busyPollUs, teardown, boot.asyncTasksPerWorker);
    process.on('exit', () => {
      runner.flushBeforeExit();
    });
    if (!channel.sharesMemory) {
      reportExit(channel, () => runner.runningSeq);
    }
    // READY first, then the listener: a process's channel hands over at once what came while the module loaded
    // (a task the pool sent ahead among it), and the pool must hear READY before any answer.
    channel.send([MessageKind.Ready, [...tasks.keys()]]);
    runner.takeOver(() => {
      channel.onMessage((message) => {
        runner.handle(message);
      });
    });
  } catch (error) {
    const location = error instanceof SyntaxError ? locateSyntaxError(boot.moduleUrl) : undefined;
    channel.send([MessageKind.LoadFailed, toWireError(error), location]);
    channel.close();
  }
}
