/**
 * The pool's own battle test, the first part of `npm start`: one pool, five
 * scenarios, final statistics and a graceful shutdown, every task recorded
 * in the caller's ledger and every figure checked.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Pool } from 'spindle';
import { auditAccounting } from './audit.js';
import { basicProcessing } from './basic-processing.js';
import type { BattleContext, BattleTasks, Scenario } from './battle-context.js';
import { CheckList, formatCheck, renderVerdict, type Check } from './checks.js';
import { errorRecovery } from './error-recovery.js';
import { reportFinalStatistics, waitForQuiet } from './final-statistics.js';
import { count, seconds } from './format.js';
import { shutDownGracefully } from './graceful-shutdown.js';
import { heavyLoad } from './heavy-load.js';
import { HostFaults } from './host-faults.js';
import { TaskLedger } from './ledger.js';
import { mixedWorkload } from './mixed-workload.js';
import { PoolEventLog } from './pool-events.js';
import { priorityHandling } from './priority-handling.js';
import { StatusLine, type Output } from './status-line.js';

export const SCENARIOS: readonly Scenario[] = [basicProcessing, priorityHandling, errorRecovery, heavyLoad, mixedWorkload];

/** The workers' heap limit: small, so that the out-of-memory task is quick to hit it. */
export const MAX_OLD_GENERATION_MB = 32;
export const MAX_QUEUE = 1_000;

export interface PoolBattleOptions {
  readonly threads: number;
  /** Multiplies the number of tasks in each scenario: 0.1 for a quick run. */
  readonly scale: number;
  readonly output: Output;
}

export interface PoolBattleResult {
  readonly checks: readonly Check[];
  readonly exitCode: 0 | 1;
  readonly durationMs: number;
}

const SETTLE_TIMEOUT_MS = 30_000;

export async function runPoolBattle(options: PoolBattleOptions): Promise<PoolBattleResult> {
  const { output, threads } = options;
  const print = (line = ''): void => {
    output.write(`${line}\n`);
  };
  const startedAt = performance.now();
  const hostFaults = new HostFaults();
  print(`Spindle pool battle test: one pool through ${String(SCENARIOS.length)} scenarios, then final statistics and a graceful shutdown; every task in the caller's ledger.`);
  print(
    `  ${String(threads)} workers, maxQueue ${count(MAX_QUEUE)}, resourceLimits.maxOldGenerationSizeMb ${String(MAX_OLD_GENERATION_MB)}${options.scale === 1 ? '' : `, scale ${String(options.scale)}`}; machine: ${String(availableParallelism())} cores, load average ${(loadavg()[0] ?? 0).toFixed(1)}`,
  );
  const pool = new Pool<BattleTasks>(new URL('./battle-tasks.js', import.meta.url), {
    threads,
    maxQueue: MAX_QUEUE,
    resourceLimits: { maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB },
  });
  const events = new PoolEventLog(pool);
  const ledger = new TaskLedger();
  const status = new StatusLine(pool, output);
  const allChecks: Check[] = [];
  const record = (checks: readonly Check[]): void => {
    for (const check of checks) {
      allChecks.push(check);
      print(formatCheck(check));
    }
  };

  const contextFor = (lines: string[]): BattleContext => ({
    pool,
    ledger,
    events,
    status,
    threads,
    maxQueue: MAX_QUEUE,
    scale: options.scale,
    settleTimeoutMs: SETTLE_TIMEOUT_MS,
    report: (line) => lines.push(line),
  });
  /** Runs one part, then prints its heading (with its time), its report and its checks; an exception is a failed check. */
  const runPart = async (title: string, label: string, part: (context: BattleContext, checks: CheckList) => Promise<void>): Promise<void> => {
    const lines: string[] = [];
    const checks = new CheckList(label);
    const partStartedAt = performance.now();
    try {
      await part(contextFor(lines), checks);
    } catch (error) {
      checks.check('it ran to its end', false, error instanceof Error ? (error.stack ?? error.message) : String(error));
    } finally {
      status.stop();
    }
    print(`\n${heading(title, seconds(performance.now() - partStartedAt))}`);
    for (const line of lines) print(`    ${line}`);
    record(checks.checks);
  };

  try {
    await pool.ready;
  } catch (error) {
    const startup = new CheckList('start');
    startup.check('the pool started', false, String(error));
    record(startup.checks);
    await pool.destroy();
    status.close();
    hostFaults.stop();
    const verdict = renderVerdict(allChecks);
    for (const line of verdict.lines) print(line);
    return { checks: allChecks, exitCode: verdict.exitCode, durationMs: performance.now() - startedAt };
  }

  for (const [index, scenario] of SCENARIOS.entries()) {
    await runPart(`${String(index + 1)}/${String(SCENARIOS.length)} ${scenario.title}`, scenario.label, (context, checks) => scenario.run(context, checks));
  }

  const quiet = await waitForQuiet(pool, 10_000);
  const statisticsLines: string[] = [];
  const statistics = reportFinalStatistics(pool.stats(), ledger.summarize(), (line) => statisticsLines.push(line));
  print(`\n${heading('Final statistics', 'ledger ⇄ pool.stats()')}`);
  for (const line of statisticsLines) print(`    ${line}`);
  const quietCheck = new CheckList('final statistics');
  quietCheck.check('the pool fell quiet: nothing queued or running', quiet, quiet ? '' : 'still busy after 10 s');
  record([...quietCheck.checks, ...statistics]);

  await runPart('Graceful shutdown', 'graceful shutdown', shutDownGracefully);
  status.close();

  // Once more after close(), the shutdown's tasks included; printed in full only where it fails.
  const summary = ledger.summarize();
  const finalAccounting = auditAccounting(summary, pool.stats(), 'every task accounted for');
  const hostChecks = new CheckList('host process');
  const faults = hostFaults.stop();
  hostChecks.check('no uncaught exception or unhandled rejection in the host', faults.length === 0, faults.join('; '));
  print(`\n${heading('Every task accounted for', 'after close()')}`);
  const failedAccounting = finalAccounting.filter((check) => !check.passed);
  if (failedAccounting.length === 0) {
    print(
      formatCheck({
        scenario: 'every task accounted for',
        description: `all ${String(finalAccounting.length)} accounting checks hold, shutdown included`,
        passed: true,
        detail: `${count(summary.completed)} + ${count(summary.failed)} + ${count(summary.aborted)} = ${count(summary.submitted)} submitted`,
      }),
    );
    allChecks.push(...finalAccounting);
  } else record(finalAccounting);
  record(hostChecks.checks);

  const durationMs = performance.now() - startedAt;
  const verdict = renderVerdict(allChecks);
  print();
  for (const line of verdict.lines) print(line);
  print(`The pool battle test took ${seconds(durationMs)}.`);
  return { checks: allChecks, exitCode: verdict.exitCode, durationMs };
}

const HEADING_WIDTH = 78;

function heading(title: string, right: string): string {
  const dots = Math.max(3, HEADING_WIDTH - title.length - right.length - 2);
  return `${title} ${'.'.repeat(dots)} ${right}`;
}
