import { atSize, scaled, waitForWorkers, waitUntil, type BattleContext, type Scenario } from './battle-context.js';
import type { CheckList } from './checks.js';
import { count, ms, percentiles, triple } from './format.js';
import { completionDetail, type LedgerEntry } from './ledger.js';
import { exits } from './pool-events.js';
import { crunch } from './work.js';

const SHORT_PRIORITY = 10;
const LONG_PRIORITY = 0;
const SHORT_EVERY_MS = 4;
const SHORT_ROUNDS = 100_000;
const LONG_MS = 60;
/** Long enough that a task is still running when the watcher cancels it, even on a loaded machine. */
const CANCELLED_LONG_MS = 400;
/** How long after a task is seen running it is cancelled. */
const CANCEL_AFTER_START_MS = 20;
const CANCEL_QUEUED_AFTER_MS = 50;
const CANCELLED_RUNNING = 3;
const CANCELLED_QUEUED = 5;

interface Cancellable {
  readonly entry: LedgerEntry;
  readonly controller: AbortController;
  readonly cooperative: boolean;
  seenRunningAt?: number;
}

/**
 * 5. Short tasks (high priority) arrive every 4 ms while long ones (low
 * priority, 60 ms each) keep the workers busy. Some long tasks are cancelled
 * with an `AbortSignal`: three cooperative ones and one that ignores its
 * signal, each 20 ms after it was seen running, and five while still queued.
 * Short-task latency (submission to result, as the caller sees it) is set
 * beside long-task latency.
 */
export const mixedWorkload: Scenario = {
  title: 'Mixed workload',
  label: 'mixed workload',
  async run(context: BattleContext, checks: CheckList): Promise<void> {
    const { pool, ledger, events, threads } = context;
    const scenario = 'mixed workload';
    const shortCount = scaled(300, context.scale, 40);
    const longCount = scaled(30, context.scale, 8);
    const eventsBefore = events.snapshot();
    const reason = new Error('cancelled by the battle test');

    const longs: LedgerEntry[] = [];
    const cancelledRunning: Cancellable[] = [];
    const submitLong = (ms: number, cooperative: boolean, signal?: AbortSignal): LedgerEntry => {
      const entry = ledger.track({ scenario, kind: signal === undefined ? 'long' : 'cancelled', retries: 0 }, (counter) =>
        pool.run('longSpin', { counter, ms, cooperative }, { priority: LONG_PRIORITY, ...(signal === undefined ? {} : { signal }) }),
      );
      return entry;
    };
    for (let index = 0; index < longCount; index++) {
      // A few of the first long tasks are cancelled once they run: three cooperative, one deaf to its signal.
      if (index % 2 === 1 && cancelledRunning.length < CANCELLED_RUNNING + 1) {
        const controller = new AbortController();
        const cooperative = cancelledRunning.length < CANCELLED_RUNNING;
        cancelledRunning.push({ entry: submitLong(CANCELLED_LONG_MS, cooperative, controller.signal), controller, cooperative });
      } else longs.push(submitLong(LONG_MS, true));
    }
    const queuedController = new AbortController();
    const cancelledQueued = Array.from({ length: CANCELLED_QUEUED }, () => submitLong(LONG_MS, true, queuedController.signal));
    const startedAt = performance.now();

    const shorts: LedgerEntry[] = [];
    const shortRequest = (index: number): { seed: number; rounds: number; width: number } => ({ seed: 7_000 + (index % 8), rounds: SHORT_ROUNDS, width: 0 });
    const expectedShort = Array.from({ length: 8 }, (_, index) => crunch(shortRequest(index).seed, SHORT_ROUNDS, 0).checksum);
    let queuedCancelledAt = 0;
    const driver = setInterval(() => {
      if (shorts.length < shortCount) {
        const index = shorts.length;
        shorts.push(ledger.track({ scenario, kind: 'short', retries: 0 }, (counter) => pool.run('tick', { ...shortRequest(index), counter }, { priority: SHORT_PRIORITY })));
      }
      const now = performance.now();
      if (queuedCancelledAt === 0 && now - startedAt >= CANCEL_QUEUED_AFTER_MS) {
        queuedCancelledAt = now;
        queuedController.abort(reason);
      }
      for (const task of cancelledRunning) {
        if (task.controller.signal.aborted || task.entry.timesSettled > 0) continue;
        if (task.seenRunningAt === undefined) {
          if (task.entry.executions > 0) task.seenRunningAt = now;
        } else if (now - task.seenRunningAt >= CANCEL_AFTER_START_MS) task.controller.abort(reason);
      }
    }, SHORT_EVERY_MS);

    const everything = (): LedgerEntry[] => [...longs, ...cancelledRunning.map((task) => task.entry), ...cancelledQueued, ...shorts];
    context.status.start(this.label, () => {
      const all = everything();
      return { done: all.filter((entry) => entry.timesSettled > 0).length, total: longCount + CANCELLED_QUEUED + shortCount };
    });
    const allSubmitted = await waitUntil(() => shorts.length === shortCount, context.settleTimeoutMs);
    const unsettled = await ledger.settle(everything(), context.settleTimeoutMs);
    clearInterval(driver);
    context.status.stop();
    const deaf = cancelledRunning.filter((task) => !task.cooperative).length;
    await waitForWorkers(context, eventsBefore, { abort: deaf }, 5_000);
    const eventsSince = events.since(eventsBefore);

    const shortLatency = percentiles(shorts.map((entry) => entry.latencyMs ?? Infinity));
    const longLatency = percentiles(longs.map((entry) => entry.latencyMs ?? Infinity));
    const cancelled = [...cancelledRunning.map((task) => task.entry), ...cancelledQueued];
    const abortedRight = cancelled.filter((entry) => entry.settlement === 'aborted' && causeOf(entry.reason) === reason);
    const stoppedRunning = cancelledRunning.filter((task) => task.entry.settlement === 'aborted' && task.entry.executions === 1);
    const neverRan = cancelledQueued.filter((entry) => entry.executions === 0);
    const shortsRight = shorts.filter((entry, index) => entry.settlement === 'completed' && entry.value === expectedShort[index % 8]);

    context.report(
      `${count(shortCount)} short tasks (~0.3 ms, priority ${String(SHORT_PRIORITY)}) arriving every ${String(SHORT_EVERY_MS)} ms among ${count(longCount + CANCELLED_QUEUED)} long ones (${String(LONG_MS)} ms, priority ${String(LONG_PRIORITY)}; the ${String(cancelledRunning.length)} cancelled while running: ${String(CANCELLED_LONG_MS)} ms)`,
    );
    context.report(`latency, submission to result: short p50/p95/p99 ${triple(shortLatency)}   long ${triple(longLatency)}`);
    context.report(
      `cancelled: ${String(stoppedRunning.length)} while running (${String(cancelledRunning.length - deaf)} cooperative, ${String(deaf)} deaf: its worker ended after abortGrace), ${String(neverRan.length)} while queued; workers ended for an abort ${String(exits(eventsSince, 'abort'))}`,
    );
    checks.check('every task settled', allSubmitted && unsettled.length === 0, `${count(unsettled.length)} unsettled`);
    checks.check('every short task completed with the right result', shortsRight.length === shorts.length, completionDetail(shorts));
    checks.check('every long task not cancelled completed', longs.every((entry) => entry.settlement === 'completed'), completionDetail(longs));
    checks.check(
      'every cancelled task: ERR_TASK_ABORTED, cause = the reason',
      abortedRight.length === cancelled.length,
      `${String(abortedRight.length)} of ${String(cancelled.length)}`,
    );
    checks.check('the tasks cancelled while running had started, and stopped', stoppedRunning.length === cancelledRunning.length, `${String(stoppedRunning.length)} of ${String(cancelledRunning.length)}`);
    checks.check('the tasks cancelled while queued never ran', neverRan.length === cancelledQueued.length, `${String(neverRan.length)} of ${String(cancelledQueued.length)}`);
    checks.check(
      'only the task deaf to its signal cost a worker (abort)',
      exits(eventsSince, 'abort') === deaf && exits(eventsSince, 'crash') === 0,
      `${String(exits(eventsSince, 'abort'))} ended for an abort, planned ${String(deaf)}; ${String(exits(eventsSince, 'crash'))} crashed`,
    );
    checks.check('short tasks overtake long ones: short p99 below long p50', shortLatency.p99 < longLatency.p50, `${ms(shortLatency.p99)} ms vs ${ms(longLatency.p50)} ms`);
    checks.check(`the pool is back at ${String(threads)} ready workers`, atSize(context), `${String(pool.stats().workers.total)} workers, ${String(pool.stats().workers.starting)} starting`);
  },
};

function causeOf(reason: unknown): unknown {
  return reason instanceof Error ? reason.cause : undefined;
}
