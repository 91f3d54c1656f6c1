import type { TaskRecord, TaskWorker } from './task.js';
import type { Workforce } from '../workforce/workforce.js';

/**
 * Only a task expected to end within this long is run with one held behind
 * it. The estimate of a name jumps to its slowest recent run, so a name that
 * took longer lately is not; and past this, the hop saved is under 2 % of
 * the task.
 */
const LOOKAHEAD_MAX_US = 50_000;

/**
 * Whether a worker without shared memory (a process) may hold one task
 * ahead of the one it runs, past the backlog budget that otherwise sends a
 * long task alone. A process worker that finishes a task waits for its
 * answer to reach the pool and for the next task to come back: two IPC hops,
 * each of which may have to wake a sleeping CPU (1.5–2 ms after an 18 ms
 * task on the 2-core VM where this was measured, for Spindle, for tinypool
 * and for a bare `child_process.fork` alike; 0.5–1.2 ms with the next task
 * already in its pipe). So it may hold one more:
 *
 * - only while every worker is busy and the pool cannot start another: a
 *   task held by a busy worker must not keep an idle or new worker waiting;
 * - only behind a task expected to end within LOOKAHEAD_MAX_US: the task held
 *   ahead cannot be taken back while a synchronous task runs (the process
 *   reads its messages between tasks), so it may wait that long even if
 *   another worker falls idle meanwhile.
 */
export function mayHoldOneAhead(worker: TaskWorker, workforce: Workforce<TaskRecord>): boolean {
  if (worker.sharesMemory || worker.unanswered !== 1 || worker.overrun || worker.backlogUs > LOOKAHEAD_MAX_US) return false;
  // Asked only where sends are not limited, so one task per worker: no free slot means none idle, none starting, none to start.
  return workforce.freeSlots === 0;
}
