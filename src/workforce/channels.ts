import { channel } from 'node:diagnostics_channel';
import type { WorkerExitInfo, WorkerInfo } from '../events.js';

/**
 * Process-wide diagnostics channels, for code that must hear about every
 * pool's workers without holding the pools (an APM agent; `spindle/shared`
 * releasing the locks a dead worker held). Published only while someone
 * subscribes:
 *
 *   spindle:worker:start  { threadId }                     a worker loaded its module
 *   spindle:worker:exit   { threadId, exitCode, reason }   a worker ended (after its tasks were settled)
 */
export const workerStartChannel = channel('spindle:worker:start');
export const workerExitChannel = channel('spindle:worker:exit');

export function publishWorkerStart(info: WorkerInfo): void {
  if (workerStartChannel.hasSubscribers) workerStartChannel.publish(info);
}

export function publishWorkerExit(info: WorkerExitInfo): void {
  if (workerExitChannel.hasSubscribers) workerExitChannel.publish(info);
}
