import type { Pool } from 'spindle';
import type { CheckList } from './checks.js';
import type { LedgerEntry, TaskLedger } from './ledger.js';
import { exits, type EventCounts, type ExitReason, type PoolEventLog } from './pool-events.js';
import type { StatusLine } from './status-line.js';

export type BattleTasks = typeof import('./battle-tasks.js');
export type BattlePool = Pool<BattleTasks>;

/** What every scenario works with: one pool for the whole battle test, and the caller's records. */
export interface BattleContext {
  readonly pool: BattlePool;
  readonly ledger: TaskLedger;
  readonly events: PoolEventLog;
  readonly status: StatusLine;
  readonly threads: number;
  readonly maxQueue: number;
  /** Multiplies the number of tasks of each scenario (`--pool-scale`). */
  readonly scale: number;
  /** How long a scenario may wait for its tasks to settle before it counts them as lost. */
  readonly settleTimeoutMs: number;
  /** Adds a line to the scenario's report, printed when it ends. */
  report(line: string): void;
}

export interface Scenario {
  readonly title: string;
  /** The status line's label. */
  readonly label: string;
  run(context: BattleContext, checks: CheckList): Promise<void>;
}

/** `base` tasks times the scale, never fewer than `minimum`. */
export function scaled(base: number, scale: number, minimum: number): number {
  return Math.max(minimum, Math.round(base * scale));
}

/** Progress of a set of ledger entries, for the status line. */
export function progressOf(entries: () => readonly LedgerEntry[], total?: () => number): () => { done: number; total: number } {
  return () => {
    const list = entries();
    let done = 0;
    for (const entry of list) if (entry.timesSettled > 0) done++;
    return { done, total: total?.() ?? list.length };
  };
}

/** Waits until `condition` holds, polling every few milliseconds; resolves false after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * Waits until at least `expected` workers have exited for each reason since
 * `before` (a worker ended for a timeout or an abort exits after the task has
 * settled, and after its replacement has started); then until the pool is at
 * `threads` ready workers. Resolves false if that takes more than `timeoutMs`.
 */
export function waitForWorkers(
  context: Pick<BattleContext, 'pool' | 'events' | 'threads'>,
  before: EventCounts,
  expected: Readonly<Partial<Record<ExitReason, number>>>,
  timeoutMs: number,
): Promise<boolean> {
  return waitUntil(() => {
    const since = context.events.since(before);
    for (const [reason, count] of Object.entries(expected) as [ExitReason, number][]) if (exits(since, reason) < count) return false;
    return atSize(context);
  }, timeoutMs);
}

/** Whether the pool has `threads` workers, all ready. */
export function atSize(context: Pick<BattleContext, 'pool' | 'threads'>): boolean {
  const stats = context.pool.stats();
  return stats.workers.total === context.threads && stats.workers.starting === 0;
}
