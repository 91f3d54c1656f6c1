import { summarize } from '../stats/collector.js';
import type { PoolStats, WorkerStats } from '../stats/snapshot.js';
import type { Engine } from '../scheduler/engine.js';

/** Builds an immutable statistics snapshot from the engine's counters. */
export function takeSnapshot(engine: Engine): PoolStats {
  const stats = engine.stats;
  const now = performance.now();
  let busy = 0;
  let idle = 0;
  let starting = engine.workforce.pendingSpawns;
  let running = 0;
  let busyUs = stats.busyUsOfExited;
  let aliveUs = stats.aliveUsOfExited;
  const perWorker: WorkerStats[] = [];
  for (const worker of engine.workforce.workers) {
    running += worker.running;
    busyUs += worker.runTimeUs;
    aliveUs += (now - worker.startedAt) * 1000;
    if (worker.state === 'starting') starting++;
    else if (worker.state === 'ready') {
      if (worker.unanswered > 0) busy++;
      else idle++;
    }
    if (worker.state !== 'starting') perWorker.push(worker.snapshot());
  }
  return Object.freeze({
    state: engine.state,
    workers: Object.freeze({ total: busy + idle + starting, busy, idle, starting }),
    queued: engine.queue.size,
    running,
    submitted: stats.submitted,
    completed: stats.completed,
    failed: stats.failed,
    failedByCode: Object.freeze(Object.fromEntries(stats.failedByCode)),
    aborted: stats.aborted,
    timedOut: stats.timedOut,
    rejectedQueueFull: stats.rejectedQueueFull,
    retried: stats.retried,
    takenBack: stats.takenBack,
    workerCrashes: stats.workerCrashes,
    workersStarted: stats.workersStarted,
    workerStartFailures: stats.workerStartFailures,
    utilization: aliveUs === 0 ? 0 : Math.min(1, busyUs / aliveUs),
    runTime: summarize(stats.runTimeUs),
    waitTime: summarize(stats.waitTimeUs),
    perWorker: Object.freeze(perWorker),
  });
}
