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
  // How the runner will listen: a thread reads its port from the start (see listenWhileLoading), a process once it has loaded.
  const onMessage = channel.sharesMemory ? listenWhileLoading(channel) : channel.onMessage.bind(channel);
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
      onMessage((message) => {
        runner.handle(message);
      });
    });
  } catch (error) {
    const location = error instanceof SyntaxError ? locateSyntaxError(boot.moduleUrl) : undefined;
    channel.send([MessageKind.LoadFailed, toWireError(error), location]);
    channel.close();
  }
}

/**
 * A thread worker reads its port while it loads its module, so that the pool can ask it to leave (CLOSE: it exits at
 * once) rather than terminate it: Node 20 aborts the whole host process when a worker is terminated just as a module
 * with top-level await starts to evaluate (docs/isolation.md). What else comes meanwhile (tasks sent to a loading
 * worker under startEagerly, their aborts) is held and handed over, in order, to the runner's listener, which the
 * returned function sets.
 */
function listenWhileLoading(channel: PoolChannel): PoolChannel['onMessage'] {
  const held: (readonly unknown[])[] = [];
  let deliver: ((message: readonly unknown[]) => void) | undefined;
  channel.onMessage((message) => {
    if (deliver !== undefined) deliver(message);
    else if (message[0] === MessageKind.Close) process.exit(0);
    else held.push(message);
  });
  // The runner's listener: what was held first, in order, then each message as it comes.
  return (listener) => {
    for (const message of held) listener(message);
    held.length = 0;
    deliver = listener;
  };
}
