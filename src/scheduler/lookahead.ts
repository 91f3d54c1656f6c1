import type { TaskRecord, TaskWorker } from './task.js';
import type { Workforce } from '../workforce/workforce.js';

/**
 * Only a worker whose tasks are expected to end within this long is sent
 * tasks ahead. The estimate of a name jumps to its slowest recent run, so a
 * name that took longer lately is not; and past this, the hop saved is
 * under 2 % of the task.
 */
const LOOKAHEAD_MAX_US = 50_000;

/** How many tasks a process worker may hold beyond the one it runs. */
const HOLD_AHEAD = 2;

/**
 * Whether a worker without shared memory (a process) may be sent one more
 * task beyond the one it runs, past the backlog budget that otherwise sends
 * a long task alone: up to HOLD_AHEAD of them. A process worker that
 * finishes a task and has none in hand waits for its answer to reach the
 * pool and for the next task to come back: two IPC hops, each of which may
 * have to wake a sleeping CPU (1.5–2 ms after an 18 ms task on the 2-core VM
 * where this was measured, for Spindle, for tinypool and for a bare
 * `child_process.fork` alike; 0.5–1.2 ms with the next task already in its
 * pipe). Holding two rather than one lets the pool refill it with two
 * tasks in one message every other answer (see needsRefill): the send of a
 * refill was the largest single part of the pool's work per answer in a CPU
 * profile (docs/performance.md). So:
 *
 * - only while every worker is busy and the pool cannot start another: a
 *   task held by a busy worker must not keep an idle or new worker waiting;
 * - only behind tasks expected to end within LOOKAHEAD_MAX_US: a task held
 *   ahead cannot be taken back while a synchronous task runs (the process
 *   reads its messages between tasks), so it may wait that long even if
 *   another worker falls idle meanwhile.
 */
export function mayHoldAhead(worker: TaskWorker, workforce: Workforce<TaskRecord>): boolean {
  if (worker.sharesMemory || worker.unanswered < 1 || worker.unanswered > HOLD_AHEAD || worker.overrun || worker.backlogUs > LOOKAHEAD_MAX_US) return false;
  // Asked only where sends are not limited, so one task per worker: no free slot means none idle, none starting, none to start.
  return workforce.freeSlots === 0;
}

/**
 * Whether a process worker that may hold tasks ahead should be refilled
 * now: only once it holds none beyond the one it runs, so that each refill
 * carries HOLD_AHEAD tasks in one message (one write for the pool, one read
 * for the worker) instead of one task per answer.
 */
export function needsRefill(worker: TaskWorker, workforce: Workforce<TaskRecord>): boolean {
  return worker.unanswered === 1 && mayHoldAhead(worker, workforce);
}

/**
 * How many tasks one refill may send ahead when `queued` tasks wait for
 * `workers` workers: HOLD_AHEAD, or fewer once the queue runs short, so that
 * the last tasks are shared out rather than held two at a time by one
 * worker while another finishes early.
 */
export function aheadShare(queued: number, workers: number): number {
  return Math.max(1, Math.min(HOLD_AHEAD, Math.floor(queued / Math.max(workers, 1))));
}
