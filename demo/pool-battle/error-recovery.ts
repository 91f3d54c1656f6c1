import { atSize, progressOf, scaled, waitForWorkers, type BattleContext, type Scenario } from './battle-context.js';
import type { CheckList } from './checks.js';
import { EXIT_FAULT_CODE, expectedOutcome, type ExpectedOutcome, type Fault } from './faults.js';
import { count } from './format.js';
import { completionDetail, type LedgerEntry } from './ledger.js';
import { exits } from './pool-events.js';
import { crunch, seededRandom } from './work.js';

const TIMEOUT_MS = 200;
/** A generous timeout some healthy neighbours carry, so that timed tasks run among the faults too. */
const HEALTHY_TIMEOUT_MS = 10_000;

interface FaultPlan {
  readonly kind: string;
  readonly faults: readonly Fault[];
  readonly retries: number;
  readonly timeout?: number;
}

/** Every way a task can fail, once or always, with and without retries; the fixed part of the mix. */
const FAULT_PLANS: readonly FaultPlan[] = [
  ...repeat(2, { kind: 'throws', faults: ['throw'], retries: 0 }),
  ...repeat(2, { kind: 'throws (retries 1: not retried)', faults: ['throw'], retries: 1 }),
  ...repeat(3, { kind: 'rejects', faults: ['reject'], retries: 0 }),
  ...repeat(2, { kind: 'throws an error whose getter throws', faults: ['throw-getter'], retries: 0 }),
  ...repeat(2, { kind: 'process.exit(3)', faults: ['exit'], retries: 0 }),
  { kind: 'process.exit(3) on each of 2 attempts', faults: ['exit', 'exit'], retries: 1 },
  ...repeat(2, { kind: 'uncaught error', faults: ['uncaught'], retries: 0 }),
  ...repeat(2, { kind: 'unhandled rejection', faults: ['unhandled'], retries: 0 }),
  { kind: 'out of memory', faults: ['out-of-memory'], retries: 0 },
  { kind: 'out of memory on each of 2 attempts', faults: ['out-of-memory', 'out-of-memory'], retries: 1 },
  { kind: 'hangs, deaf', faults: ['hang'], retries: 0, timeout: TIMEOUT_MS },
  { kind: 'hangs, deaf, on each of 2 attempts', faults: ['hang', 'hang'], retries: 1, timeout: TIMEOUT_MS },
  ...repeat(2, { kind: 'hangs, cooperative', faults: ['hang-cooperative'], retries: 0, timeout: TIMEOUT_MS }),
  ...repeat(2, { kind: 'process.exit(3) once, then succeeds', faults: ['exit'], retries: 1 }),
  { kind: 'uncaught error once, then succeeds', faults: ['uncaught'], retries: 2 },
  { kind: 'out of memory once, then succeeds', faults: ['out-of-memory'], retries: 1 },
  { kind: 'hangs once, then succeeds', faults: ['hang'], retries: 1, timeout: TIMEOUT_MS },
];

interface Planned {
  readonly plan: FaultPlan;
  readonly expected: ExpectedOutcome;
  readonly seed: number;
  readonly rounds: number;
  entry?: LedgerEntry;
}

/**
 * 3. Faulty tasks of every kind, shuffled among a few hundred healthy
 * neighbours and all submitted at once: own errors (thrown, rejected, with a
 * throwing getter), worker deaths (`process.exit`, an uncaught error, an
 * unhandled rejection, out of memory under `resourceLimits`) and hangs past
 * `timeout` (deaf and cooperative), some with `retries`, some failing only
 * on their first attempt. Each task's outcome and its number of executions
 * follow from the documented policy (faults.ts) and are checked exactly.
 */
export const errorRecovery: Scenario = {
  title: 'Error recovery',
  label: 'error recovery',
  async run(context: BattleContext, checks: CheckList): Promise<void> {
    const { pool, ledger, events, threads } = context;
    const random = seededRandom(3);
    const healthyCount = scaled(240, context.scale, 24);
    const planned: Planned[] = [
      ...FAULT_PLANS.map((plan) => ({ plan, expected: expectedOutcome(plan.faults, plan.retries), seed: 0, rounds: 0 })),
      ...Array.from({ length: healthyCount }, (_, index): Planned => {
        const variant = index % 3;
        const plan: FaultPlan = variant === 0
          ? { kind: 'healthy', faults: [], retries: 0 }
          : variant === 1
            ? { kind: 'healthy', faults: [], retries: 2 }
            : { kind: 'healthy', faults: [], retries: 0, timeout: HEALTHY_TIMEOUT_MS };
        return { plan, expected: expectedOutcome([], plan.retries), seed: 5_000 + index, rounds: 20_000 + Math.floor(random() * 180_000) };
      }),
    ];
    shuffle(planned, random);

    const statsBefore = pool.stats();
    const eventsBefore = events.snapshot();
    let fewestWorkers = statsBefore.workers.total;
    const sampler = setInterval(() => {
      fewestWorkers = Math.min(fewestWorkers, pool.stats().workers.total);
    }, 20);
    const entries = planned.map((item) => {
      const options = { retries: item.plan.retries, ...(item.plan.timeout === undefined ? {} : { timeout: item.plan.timeout }) };
      const entry = ledger.track({ scenario: 'error recovery', kind: item.plan.kind, retries: item.plan.retries, faults: item.plan.faults }, (counter) =>
        pool.run('faulty', { counter, faults: item.plan.faults, seed: item.seed, rounds: item.rounds }, options),
      );
      item.entry = entry;
      return entry;
    });
    context.status.start(this.label, progressOf(() => entries));
    const unsettled = await ledger.settle(entries, context.settleTimeoutMs);
    context.status.stop();
    const plannedCrashes = planned.reduce((sum, item) => sum + item.expected.crashes, 0);
    const plannedTerminations = planned.reduce((sum, item) => sum + item.expected.terminations, 0);
    await waitForWorkers(context, eventsBefore, { crash: plannedCrashes, timeout: plannedTerminations }, 5_000);
    clearInterval(sampler);
    const statsAfter = pool.stats();
    const eventsSince = events.since(eventsBefore);

    const faulty = planned.filter((item) => item.plan.kind !== 'healthy');
    const failing = faulty.filter((item) => item.expected.code !== undefined);
    const recovering = faulty.filter((item) => item.expected.code === undefined);
    const healthy = planned.filter((item) => item.plan.kind === 'healthy');
    const wrongCode = failing.filter((item) => !failedAsPlanned(item));
    const notRecovered = recovering.filter((item) => !completedRight(item));
    const healthyFailed = healthy.filter((item) => !completedRight(item));
    const wrongExecutions = planned.filter((item) => item.entry?.executions !== item.expected.executions);
    const plannedRetries = planned.reduce((sum, item) => sum + item.expected.executions - 1, 0);
    const plannedTimeouts = planned.reduce((sum, item) => sum + item.expected.timeouts, 0);
    const retried = statsAfter.retried - statsBefore.retried;
    const crashes = statsAfter.workerCrashes - statsBefore.workerCrashes;
    const timedOut = statsAfter.timedOut - statsBefore.timedOut;

    context.report(
      `${String(faulty.length)} faulty tasks of ${String(new Set(faulty.map((item) => item.plan.kind)).size)} kinds shuffled among ${count(healthy.length)} healthy neighbours (a third with retries 2, a third with a ${String(HEALTHY_TIMEOUT_MS / 1000)} s timeout), all submitted at once`,
    );
    context.report(
      `worker deaths ${String(crashes)} (planned ${String(plannedCrashes)}), timeouts ${String(timedOut)} (planned ${String(plannedTimeouts)}), workers ended for ignoring a timeout ${String(exits(eventsSince, 'timeout'))} (planned ${String(plannedTerminations)}), retries ${String(retried)} (planned ${String(plannedRetries)})`,
    );
    context.report(`failed by code: ${codesOf(failing)}`);
    checks.check('every task settled', unsettled.length === 0, `${count(entries.length - unsettled.length)} of ${count(entries.length)}`);
    checks.check(
      'every faulty task failed with its documented code',
      wrongCode.length === 0,
      wrongCode.length === 0 ? `${String(failing.length)} of ${String(failing.length)}` : wrongCode.map(describeMismatch).join('; '),
    );
    checks.check(
      'every task that faulted once succeeded on its retry',
      notRecovered.length === 0,
      notRecovered.length === 0 ? `${String(recovering.length)} of ${String(recovering.length)}` : notRecovered.map(describeMismatch).join('; '),
    );
    checks.check('every healthy neighbour succeeded with the right result', healthyFailed.length === 0, completionDetail(healthy.map((item) => item.entry).filter((entry) => entry !== undefined)));
    checks.check(
      'every task ran as often as planned (healthy ones once)',
      wrongExecutions.length === 0,
      wrongExecutions.length === 0 ? `${count(planned.length)} of ${count(planned.length)}` : wrongExecutions.slice(0, 6).map((item) => `${item.plan.kind}: ${String(item.entry?.executions)} runs, planned ${String(item.expected.executions)}`).join('; '),
    );
    checks.check('retries counted: pool.stats().retried went up as planned', retried === plannedRetries, `${String(retried)}, planned ${String(plannedRetries)}`);
    checks.check('timeouts counted: pool.stats().timedOut went up as planned', timedOut === plannedTimeouts, `${String(timedOut)}, planned ${String(plannedTimeouts)}`);
    checks.check(
      'worker deaths as planned (workerCrashes, workerExit crash)',
      crashes === plannedCrashes && exits(eventsSince, 'crash') === plannedCrashes,
      `${String(crashes)} and ${String(exits(eventsSince, 'crash'))}, planned ${String(plannedCrashes)}`,
    );
    checks.check(
      'only deaf hangs cost a worker (workerExit timeout)',
      exits(eventsSince, 'timeout') === plannedTerminations,
      `${String(exits(eventsSince, 'timeout'))}, planned ${String(plannedTerminations)}`,
    );
    checks.check(
      `the pool stayed at ${String(threads)} workers, all ready after`,
      fewestWorkers >= threads && atSize(context),
      `fewest ${String(fewestWorkers)} (sampled every 20 ms); after: ${String(statsAfter.workers.total)} workers, ${String(statsAfter.workers.starting)} starting`,
    );
  },
};

function failedAsPlanned(item: Planned): boolean {
  const entry = item.entry;
  if (entry?.settlement !== 'failed' || entry.code !== item.expected.code) return false;
  if (item.plan.faults.at(-1) === 'exit') return exitCodeOf(entry.reason) === EXIT_FAULT_CODE;
  return true;
}

function completedRight(item: Planned): boolean {
  return item.entry?.settlement === 'completed' && item.entry.value === crunch(item.seed, item.rounds, 0).checksum;
}

function describeMismatch(item: Planned): string {
  const entry = item.entry;
  const got = entry?.settlement === 'completed' ? 'completed' : (entry?.code ?? 'unsettled');
  return `${item.plan.kind}: ${got}, expected ${item.expected.code ?? 'success'}`;
}

function exitCodeOf(reason: unknown): unknown {
  return typeof reason === 'object' && reason !== null && 'exitCode' in reason ? reason.exitCode : undefined;
}

function codesOf(items: readonly Planned[]): string {
  const byCode = new Map<string, number>();
  for (const item of items) {
    const code = item.entry?.code ?? 'none';
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  return [...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([code, value]) => `${code} ${String(value)}`).join(' · ');
}

function repeat(times: number, value: FaultPlan): FaultPlan[] {
  return Array.from({ length: times }, () => value);
}

function shuffle(items: unknown[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other], items[index]];
  }
}
