import type { PoolStats } from 'spindle';
import { CheckList, type Check } from './checks.js';
import type { LedgerSummary } from './ledger.js';
import { count } from './format.js';

/** The counters of `pool.stats()` the accounting compares with the ledger. */
export type PoolCounts = Pick<PoolStats, 'submitted' | 'completed' | 'failed' | 'aborted' | 'timedOut' | 'rejectedQueueFull' | 'retried' | 'queued' | 'running'>;

/**
 * "Every task accounted for": each task the caller submitted settled exactly
 * once, the caller's ledger adds up, the pool's counters add up, the two
 * agree, and no task body ran more often than its retries allow.
 *
 * Both count aborted tasks apart from failed ones. The pool does not count a
 * task `run()` refused at once (ERR_QUEUE_FULL, ERR_POOL_CLOSED) as
 * submitted; the ledger counts every call.
 */
export function auditAccounting(ledger: LedgerSummary, pool: PoolCounts, scenario = 'accounting'): readonly Check[] {
  const checks = new CheckList(scenario);
  const accepted = ledger.submitted - ledger.rejectedAtSubmission;
  checks.check('every submitted task settled', ledger.unsettled === 0, `${count(ledger.submitted - ledger.unsettled)} of ${count(ledger.submitted)}`);
  checks.check('no task settled more than once', ledger.settledMoreThanOnce === 0, `${count(ledger.settledMoreThanOnce)} settled twice or more`);
  checks.check(
    'completed + failed + aborted = submitted (ledger)',
    ledger.completed + ledger.failed + ledger.aborted === ledger.submitted,
    `${count(ledger.completed)} + ${count(ledger.failed)} + ${count(ledger.aborted)} = ${count(ledger.completed + ledger.failed + ledger.aborted)}, submitted ${count(ledger.submitted)}`,
  );
  checks.check(
    'pool: completed + failed + aborted = accepted, nothing left',
    pool.completed + pool.failed + pool.aborted === pool.submitted && pool.queued === 0 && pool.running === 0,
    `${count(pool.completed)} + ${count(pool.failed)} + ${count(pool.aborted)} = ${count(pool.completed + pool.failed + pool.aborted)}, accepted ${count(pool.submitted)}, queued ${count(pool.queued)}, running ${count(pool.running)}`,
  );
  checks.check(
    'pool accepted = submitted − refused at once',
    pool.submitted === accepted,
    `pool ${count(pool.submitted)}, ledger ${count(ledger.submitted)} − ${count(ledger.rejectedAtSubmission)} = ${count(accepted)}`,
  );
  checks.check('pool completed = ledger completed', pool.completed === ledger.completed, `pool ${count(pool.completed)}, ledger ${count(ledger.completed)}`);
  const ledgerFailedAfterAcceptance = ledger.failed - ledger.rejectedAtSubmission;
  checks.check(
    'pool failed = ledger failed after acceptance',
    pool.failed === ledgerFailedAfterAcceptance,
    `pool ${count(pool.failed)}, ledger ${count(ledger.failed)} − ${count(ledger.rejectedAtSubmission)} refused at once = ${count(ledgerFailedAfterAcceptance)}`,
  );
  checks.check('pool aborted = ledger aborted', pool.aborted === ledger.aborted, `pool ${count(pool.aborted)}, ledger ${count(ledger.aborted)}`);
  checks.check(
    'pool rejected (queue full) = ledger ERR_QUEUE_FULL',
    pool.rejectedQueueFull === ledger.rejectedQueueFull,
    `pool ${count(pool.rejectedQueueFull)}, ledger ${count(ledger.rejectedQueueFull)}`,
  );
  checks.check(
    'pool timeouts ≥ ledger ERR_TASK_TIMEOUT (+ retried ones)',
    pool.timedOut >= ledger.timedOut,
    `pool ${count(pool.timedOut)}, ledger ${count(ledger.timedOut)}`,
  );
  checks.check(
    'pool retried = executions beyond each task\'s first',
    pool.retried === ledger.extraExecutions,
    `pool ${count(pool.retried)}, counted in the tasks ${count(ledger.extraExecutions)}`,
  );
  checks.check('no task ran more often than its retries allow', ledger.overBudget === 0, `${count(ledger.overBudget)} over budget, ${count(ledger.executions)} executions in all`);
  checks.check('every completed task ran', ledger.completedWithoutRunning === 0, `${count(ledger.completedWithoutRunning)} completed without running`);
  checks.check('no task refused at submission ran', ledger.rejectedButRan === 0, `${count(ledger.rejectedButRan)} ran`);
  return checks.checks;
}
