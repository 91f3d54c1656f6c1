import type { PoolStats } from 'spindle';
import { auditAccounting } from './audit.js';
import { waitUntil, type BattlePool } from './battle-context.js';
import type { Check } from './checks.js';
import { count, triple } from './format.js';
import type { LedgerSummary } from './ledger.js';

/** Waits until the pool has nothing queued or running (an aborted task may still be winding down in its worker). */
export function waitForQuiet(pool: BattlePool, timeoutMs: number): Promise<boolean> {
  return waitUntil(() => {
    const stats = pool.stats();
    return stats.queued === 0 && stats.running === 0;
  }, timeoutMs);
}

/**
 * The figures of the whole run, the caller's ledger beside `pool.stats()`,
 * and the accounting checks: both must add up and agree.
 */
export function reportFinalStatistics(stats: PoolStats, ledger: LedgerSummary, report: (line: string) => void): readonly Check[] {
  const row = (label: string, value: string, note = ''): void => {
    report(`${label.padEnd(24)}${value.padStart(9)}   ${note}`.trimEnd());
  };
  const byCode = Object.entries(ledger.failedByCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, value]) => `${code} ${count(value)}`);
  const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${((part / whole) * 100).toFixed(2)} %`);
  row('submitted (run() calls)', count(ledger.submitted), `pool accepted ${count(stats.submitted)}; ${count(ledger.rejectedAtSubmission)} refused at once`);
  row('completed', count(ledger.completed), `pool ${count(stats.completed)}`);
  row('failed', count(ledger.failed), `pool ${count(stats.failed - stats.aborted)} (+ ${count(stats.rejectedQueueFull)} refused, queue full)`);
  for (let index = 0; index < byCode.length; index += 3) report(`${' '.repeat(36)}${byCode.slice(index, index + 3).join(' · ')}`);
  row('aborted', count(ledger.aborted), `pool ${count(stats.aborted)}`);
  row('timed out', count(ledger.timedOut), `settled with ERR_TASK_TIMEOUT; the pool counted ${count(stats.timedOut)} timeouts, retried ones included`);
  row('retried', count(stats.retried), `executions beyond each task's first, counted in the tasks: ${count(ledger.extraExecutions)}`);
  row('worker crashes', count(stats.workerCrashes), `workers started in all: ${count(stats.workersStarted)}`);
  row('success rate', percent(ledger.completed, ledger.submitted), 'completed / submitted, the injected faults included');
  row('run time p50/p95/p99', '', `${triple(stats.runTime)}   (pool.stats().runTime, ${count(stats.runTime.count)} runs)`);
  row('wait time p50/p95/p99', '', `${triple(stats.waitTime)}   (pool.stats().waitTime)`);
  return auditAccounting(ledger, stats, 'final statistics');
}
