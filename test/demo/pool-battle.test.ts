import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditAccounting, type PoolCounts } from '../../demo/pool-battle/audit.js';
import { renderVerdict } from '../../demo/pool-battle/checks.js';
import { expectedOutcome } from '../../demo/pool-battle/faults.js';
import type { LedgerSummary } from '../../demo/pool-battle/ledger.js';
import { runChild } from '../faults/fault-helpers.js';

const startScript = new URL('../../demo/start.js', import.meta.url);
const strayTaskScript = new URL('../fixtures/pool-battle-stray-task.js', import.meta.url);

/** A ledger and pool counters that agree: 100 run() calls, 2 refused at once (queue full), 3 aborted, 5 failed after acceptance, 2 retries. */
function consistentLedger(): LedgerSummary {
  return {
    submitted: 100,
    unsettled: 0,
    settledMoreThanOnce: 0,
    completed: 90,
    failed: 7,
    aborted: 3,
    failedByCode: { ERR_QUEUE_FULL: 2, ERR_WORKER_EXITED: 3, ERR_TASK_TIMEOUT: 2 },
    rejectedAtSubmission: 2,
    rejectedQueueFull: 2,
    timedOut: 2,
    executions: 97,
    extraExecutions: 2,
    overBudget: 0,
    completedWithoutRunning: 0,
    rejectedButRan: 0,
  };
}

function agreeingPool(): PoolCounts {
  return { submitted: 98, completed: 90, failed: 5, aborted: 3, timedOut: 3, rejectedQueueFull: 2, retried: 2, queued: 0, running: 0 };
}

function failedChecks(ledger: LedgerSummary, pool: PoolCounts): string[] {
  return auditAccounting(ledger, pool)
    .filter((check) => !check.passed)
    .map((check) => check.description);
}

/** The numbers of a printed line such as "41,341 + 42 + 9 = 41,392 submitted". */
function numbersIn(line: string): number[] {
  return [...line.matchAll(/\d[\d,]*/g)].map((match) => Number(match[0].replaceAll(',', '')));
}

describe('the pool battle test', () => {
  it('runs at a small scale in a child process, passes every check, exits 0, and its printed accounting adds up', async () => {
    const outcome = await runChild(startScript, ['--pool-only', '--pool-scale', '0.1'], { timeoutMs: 180_000, withoutCoverage: true });
    const output = outcome.stdout;
    assert.equal(outcome.timedOut, false, `the pool battle test did not finish in 180 s:\n${output}`);
    for (const heading of ['1/5 Basic processing', '2/5 Priority handling', '3/5 Error recovery', '4/5 Heavy load with back-pressure', '5/5 Mixed workload', 'Final statistics', 'Graceful shutdown', 'Every task accounted for']) {
      assert.match(output, new RegExp(`^${heading.replace(/[/()]/g, '\\$&')} \\.+ `, 'm'), `the report has a "${heading}" section`);
    }
    const statistics = output.slice(output.indexOf('\nFinal statistics'));
    const row = (label: string): number[] => numbersIn(statistics.split('\n').find((line) => line.trimStart().startsWith(label)) ?? '');
    const [submitted, poolAccepted, refused] = row('submitted (run() calls)');
    const [completed, poolCompleted] = row('completed ');
    const [failed] = row('failed ');
    const [aborted, poolAborted] = row('aborted ');
    assert.ok(submitted !== undefined && submitted > 4_000, `the final statistics show the tasks submitted: ${String(submitted)}`);
    assert.equal((completed ?? NaN) + (failed ?? NaN) + (aborted ?? NaN), submitted, 'completed + failed + aborted = submitted, as printed');
    assert.equal(poolAccepted, submitted - (refused ?? NaN), 'the pool accepted what was not refused at once');
    assert.equal(poolCompleted, completed);
    assert.equal(poolAborted, aborted);
    const accountedFor = output.split('\n').find((line) => line.includes('accounting checks hold')) ?? '';
    const [, endCompleted, endFailed, endAborted, endSubmitted] = numbersIn(accountedFor);
    assert.ok(endSubmitted !== undefined && endSubmitted > submitted, `after close() the shutdown's tasks are counted too: ${accountedFor}`);
    assert.equal((endCompleted ?? NaN) + (endFailed ?? NaN) + (endAborted ?? NaN), endSubmitted);
    const failedLines = output.split('\n').filter((line) => line.startsWith('  ✘'));
    assert.equal(outcome.exitCode, 0, `the pool battle test failed:\n${failedLines.join('\n')}\n${outcome.stderr}`);
    assert.match(output, /^✔ pool battle test: all \d+ checks passed$/m);
  });

  it('expects of each fault plan what docs/errors.md documents: own errors never retried, deaths and timeouts retried while retries remain', () => {
    assert.deepEqual(expectedOutcome([], 2), { code: undefined, executions: 1, crashes: 0, timeouts: 0, terminations: 0 });
    assert.deepEqual(expectedOutcome(['throw'], 3), { code: 'E_BATTLE_INVALID_INPUT', executions: 1, crashes: 0, timeouts: 0, terminations: 0 });
    assert.deepEqual(expectedOutcome(['exit', 'exit'], 1), { code: 'ERR_WORKER_EXITED', executions: 2, crashes: 2, timeouts: 0, terminations: 0 });
    assert.deepEqual(expectedOutcome(['out-of-memory'], 1), { code: undefined, executions: 2, crashes: 1, timeouts: 0, terminations: 0 });
    assert.deepEqual(expectedOutcome(['hang', 'hang'], 1), { code: 'ERR_TASK_TIMEOUT', executions: 2, crashes: 0, timeouts: 2, terminations: 2 });
    assert.deepEqual(expectedOutcome(['hang-cooperative'], 0), { code: 'ERR_TASK_TIMEOUT', executions: 1, crashes: 0, timeouts: 1, terminations: 0 });
  });

  it('passes every accounting check when the ledger and the pool agree', () => {
    assert.deepEqual(failedChecks(consistentLedger(), agreeingPool()), []);
    assert.equal(renderVerdict(auditAccounting(consistentLedger(), agreeingPool())).exitCode, 0);
  });

  it('fails the accounting, naming the check, for each way the ledger and the pool can disagree', () => {
    const ledger = consistentLedger();
    const pool = agreeingPool();
    assert.deepEqual(failedChecks({ ...ledger, settledMoreThanOnce: 1 }, pool), ['no task settled more than once']);
    assert.deepEqual(failedChecks({ ...ledger, unsettled: 1, completed: 89 }, { ...pool, completed: 89, running: 1 }), [
      'every submitted task settled',
      'completed + failed + aborted = submitted (ledger)',
      'pool: completed + failed + aborted = accepted, nothing left',
    ]);
    assert.deepEqual(failedChecks(ledger, { ...pool, completed: 89, failed: 6 }), ['pool completed = ledger completed', 'pool failed = ledger failed after acceptance']);
    assert.deepEqual(failedChecks(ledger, { ...pool, submitted: 99, completed: 91 }), ['pool accepted = submitted − refused at once', 'pool completed = ledger completed']);
    assert.deepEqual(failedChecks(ledger, { ...pool, retried: 1 }), ['pool retried = executions beyond each task\'s first']);
    assert.deepEqual(failedChecks({ ...ledger, overBudget: 1, extraExecutions: 3, executions: 98 }, { ...pool, retried: 3 }), ['no task ran more often than its retries allow']);
    assert.deepEqual(failedChecks(ledger, { ...pool, rejectedQueueFull: 3 }), ['pool rejected (queue full) = ledger ERR_QUEUE_FULL']);
    assert.deepEqual(failedChecks({ ...ledger, completedWithoutRunning: 1 }, pool), ['every completed task ran']);
  });

  it('turns a failed check into exit code 1 and a message that names it', () => {
    const verdict = renderVerdict(auditAccounting(consistentLedger(), { ...agreeingPool(), rejectedQueueFull: 3 }));
    assert.equal(verdict.exitCode, 1);
    assert.deepEqual(verdict.lines, [
      `✘ pool battle test FAILED: 1 of ${String(auditAccounting(consistentLedger(), agreeingPool()).length)} checks failed`,
      '  ✘ [accounting] pool rejected (queue full) = ledger ERR_QUEUE_FULL: pool 3, ledger 2',
    ]);
  });

  it('exits 1 naming the mismatch when a task reaches the pool behind the ledger\'s back', async () => {
    const outcome = await runChild(strayTaskScript, [], { timeoutMs: 30_000, withoutCoverage: true });
    assert.equal(outcome.exitCode, 1, `${outcome.stdout}\n${outcome.stderr}`);
    assert.match(outcome.stdout, /^✘ pool battle test FAILED: 2 of \d+ checks failed$/m);
    assert.match(outcome.stdout, /^ {2}✘ \[accounting\] pool accepted = submitted − refused at once: pool 4, ledger 3 − 0 = 3$/m);
    assert.match(outcome.stdout, /^ {2}✘ \[accounting\] pool completed = ledger completed: pool 4, ledger 3$/m);
  });
});
