import { waitUntil, type BattleContext, type Scenario } from './battle-context.js';
import type { CheckList } from './checks.js';
import { count, runLength, wrap } from './format.js';
import { completionDetail, type LedgerEntry } from './ledger.js';

const LEVELS = { high: 10, medium: 5, low: 0, expiring: -1 } as const;
const LABELS: Readonly<Record<number, string>> = { 10: 'H', 5: 'M', 0: 'L', [-1]: 'X' };
const TASK_MS = 3;
const BLOCKER_MS = 150;
const LOW_TASKS = 4;
const MEDIUM_TASKS = 4;
const HIGH_TASKS = 160;
/** High-priority tasks waiting at the start; one more is submitted at each completion, so highs keep coming. */
const HIGH_AT_START = 4;
const EXPIRING_TASKS = 4;
const QUEUE_TIMEOUT_MS = 100;
/** How late an expired task's rejection may come, beyond its queueTimeout, on a loaded machine. */
const QUEUE_TIMEOUT_SLACK_MS = 500;
const HOLD_MAX_MS = 20_000;

/**
 * 2. Every worker busy: all but one hold until the scenario ends, one runs
 * a 150 ms blocker. Low-, medium- and high-priority tasks are submitted in
 * reverse order (low first) while they are busy, then high-priority tasks
 * keep coming, one more at each completion. When the blocker ends, that one
 * worker takes the tasks one at a time (each runs 3 ms, too long to be
 * batched), so their completion order is the order the queue gave them out.
 * Four more tasks, at the lowest priority with `queueTimeout` 100 ms, must
 * expire in the queue. The fixed size does not scale: the bounds depend on it.
 */
export const priorityHandling: Scenario = {
  title: 'Priority handling',
  label: 'priority handling',
  async run(context: BattleContext, checks: CheckList): Promise<void> {
    const { pool, ledger, threads } = context;
    const scenario = 'priority handling';
    const gate = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const holders = Array.from({ length: threads - 1 }, () =>
      ledger.track({ scenario, kind: 'holder', retries: 0 }, (counter) => pool.run('hold', { counter, gate, maxMs: HOLD_MAX_MS })),
    );
    const blocker = ledger.track({ scenario, kind: 'blocker', retries: 0 }, (counter) => pool.run('spin', { counter, ms: BLOCKER_MS, cooperative: false }));
    const allBusy = await waitUntil(() => {
      const stats = pool.stats();
      return stats.workers.busy === threads && stats.queued === 0;
    }, 5_000);

    const completionOrder: LedgerEntry[] = [];
    const prioritised: LedgerEntry[] = [];
    /** Which synchronous burst each task arrived in: the first burst is 0, each later high-priority task one of its own. */
    const arrival = new Map<LedgerEntry, number>();
    let burst = 0;
    const submit = (priority: number, kind: string): LedgerEntry => {
      const entry = ledger.track({ scenario, kind, retries: 0 }, (counter) => pool.run('prioritised', { counter, ms: TASK_MS, cooperative: false }, { priority }));
      prioritised.push(entry);
      arrival.set(entry, burst);
      void entry.done.then(() => {
        if (entry.settlement === 'completed') completionOrder.push(entry);
      });
      return entry;
    };
    let highsSubmitted = 0;
    const submitHigh = (): void => {
      highsSubmitted++;
      if (highsSubmitted > HIGH_AT_START) burst++;
      const entry = submit(LEVELS.high, 'high');
      // One more high-priority task at each completion, so that high-priority work never runs out while lower ones wait.
      void entry.done.then(() => {
        if (highsSubmitted < HIGH_TASKS) submitHigh();
      });
    };
    for (let index = 0; index < LOW_TASKS; index++) submit(LEVELS.low, 'low');
    for (let index = 0; index < MEDIUM_TASKS; index++) submit(LEVELS.medium, 'medium');
    for (let index = 0; index < HIGH_AT_START; index++) submitHigh();
    const expiring = Array.from({ length: EXPIRING_TASKS }, () =>
      ledger.track({ scenario, kind: 'expiring', retries: 0 }, (counter) =>
        pool.run('prioritised', { counter, ms: TASK_MS, cooperative: false }, { priority: LEVELS.expiring, queueTimeout: QUEUE_TIMEOUT_MS }),
      ),
    );
    const expected = LOW_TASKS + MEDIUM_TASKS + HIGH_TASKS;
    context.status.start(this.label, () => ({ done: completionOrder.length, total: expected }));

    const streamDone = await waitUntil(() => prioritised.length === expected && prioritised.every((entry) => entry.timesSettled > 0), context.settleTimeoutMs);
    await new Promise((resolve) => setImmediate(resolve)); // the completion-order reactions of the last task
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const unsettled = await ledger.settle([...holders, blocker, ...prioritised, ...expiring], context.settleTimeoutMs);

    const labels = completionOrder.map((entry) => LABELS[priorityOf(entry)] ?? '?');
    const lifted = liftedByAging(blocker, completionOrder, (entry) => arrival.get(entry) ?? 0);
    const violations = lifted.filter((lift) => !lift.wasLongestWaiting);
    const fifoBroken = [LEVELS.high, LEVELS.medium, LEVELS.low].filter((priority) => {
      const ids = completionOrder.filter((entry) => priorityOf(entry) === priority).map((entry) => entry.id);
      return ids.some((id, index) => index > 0 && id < (ids[index - 1] ?? -1));
    });
    const highsDoneBeforeLastLow = highsBefore(completionOrder, LEVELS.low);
    /** Until this many H have finished, more H are still to be submitted: the stream is flowing. */
    const streamFlowing = HIGH_TASKS - HIGH_AT_START;
    const lowLatencies = completionOrder.filter((entry) => priorityOf(entry) === LEVELS.low).map((entry) => (entry.latencyMs ?? NaN).toFixed(0));
    const expiredRight = expiring.filter(
      (entry) =>
        entry.code === 'ERR_QUEUE_TIMEOUT' &&
        entry.executions === 0 &&
        (entry.latencyMs ?? 0) >= QUEUE_TIMEOUT_MS - 1 &&
        (entry.latencyMs ?? Infinity) <= QUEUE_TIMEOUT_MS + QUEUE_TIMEOUT_SLACK_MS,
    );
    const expiryTimes = expiring.map((entry) => (entry.latencyMs ?? NaN).toFixed(1)).join(', ');

    context.report(
      `all ${String(threads)} workers busy (${String(threads - 1)} held, 1 running a ${String(BLOCKER_MS)} ms blocker); submitted meanwhile, in reverse order: L×${String(LOW_TASKS)} (priority ${String(LEVELS.low)}), M×${String(MEDIUM_TASKS)} (${String(LEVELS.medium)}), H×${String(HIGH_AT_START)} (${String(LEVELS.high)}), then one more H at each completion (${String(HIGH_TASKS)} in all); X×${String(EXPIRING_TASKS)} (priority ${String(LEVELS.expiring)}, queueTimeout ${String(QUEUE_TIMEOUT_MS)} ms)`,
    );
    for (const line of wrap(`completion order: ${runLength(labels)}`, 100, '')) context.report(line);
    context.report(
      `lifted by aging (now and then the longest-waiting task goes next): ${String(lifted.length)} of ${String(completionOrder.length)}; the L finished after ${lowLatencies.join(', ')} ms, the last after ${String(highsDoneBeforeLastLow)} of ${String(HIGH_TASKS)} H`,
    );
    context.report(`X expired after ${expiryTimes} ms`);
    checks.check('every worker was busy when the tasks were submitted', allBusy, `${String(threads)} of ${String(threads)} busy`);
    checks.check('every task settled', streamDone && unsettled.length === 0, `${count(unsettled.length)} unsettled`);
    checks.check('every L, M and H task completed', prioritised.every((entry) => entry.settlement === 'completed'), completionDetail(prioritised));
    checks.check(
      'high before low, but for the longest waiting (aging)',
      violations.length === 0,
      violations.length === 0 ? `${String(lifted.length)} lifted, each the longest waiting` : violations.map((lift) => `#${String(lift.position)} ${lift.label}`).join(', '),
    );
    checks.check('FIFO within each priority', fifoBroken.length === 0, fifoBroken.length === 0 ? 'H, M and L each in submission order' : `out of order: ${fifoBroken.map((priority) => LABELS[priority] ?? '?').join(', ')}`);
    checks.check(
      'no starvation: every L done while more H kept coming',
      completionOrder.filter((entry) => priorityOf(entry) === LEVELS.low).length === LOW_TASKS && highsDoneBeforeLastLow < streamFlowing,
      `the last after ${String(highsDoneBeforeLastLow)} of ${String(HIGH_TASKS)} H (bound: < ${String(streamFlowing)})`,
    );
    checks.check(
      `every X expired: ERR_QUEUE_TIMEOUT in ${String(QUEUE_TIMEOUT_MS)}–${String(QUEUE_TIMEOUT_MS + QUEUE_TIMEOUT_SLACK_MS)} ms, never ran`,
      expiredRight.length === expiring.length,
      `${String(expiredRight.length)} of ${String(expiring.length)}`,
    );
    checks.check(
      'the held workers stayed held until released',
      holders.every((entry) => entry.value === 'released') && blocker.settlement === 'completed',
      holders.map((entry) => (typeof entry.value === 'string' ? entry.value : (entry.code ?? 'unsettled'))).join(', '),
    );
  },
};

function priorityOf(entry: LedgerEntry): number {
  const kind = entry.plan.kind;
  return kind === 'high' ? LEVELS.high : kind === 'medium' ? LEVELS.medium : kind === 'low' ? LEVELS.low : LEVELS.expiring;
}

interface Lift {
  readonly position: number;
  readonly label: string;
  readonly wasLongestWaiting: boolean;
}

/**
 * The tasks that finished while a higher-priority task was waiting, and
 * whether each had waited at least as long as every task still waiting (the
 * queue's aging). One worker takes the tasks one at a time, and the pool
 * hands it the next task as it receives the previous result, before any
 * callback of the caller runs; so the tasks waiting when task i was handed
 * out are those submitted before the caller saw task i − 1 settle (the
 * blocker, for the first) and not finished before task i. Tasks submitted in
 * one synchronous burst count as arriving together: the queue stamps them
 * with one clock reading.
 */
function liftedByAging(blocker: LedgerEntry, order: readonly LedgerEntry[], arrivalOf: (entry: LedgerEntry) => number): Lift[] {
  const lifts: Lift[] = [];
  for (const [position, entry] of order.entries()) {
    const handedOutAfter = (position === 0 ? blocker : order[position - 1])?.settledAt ?? 0;
    const waiting = order.slice(position + 1).filter((other) => other.submittedAt < handedOutAfter);
    if (!waiting.some((other) => priorityOf(other) > priorityOf(entry))) continue;
    lifts.push({
      position: position + 1,
      label: LABELS[priorityOf(entry)] ?? '?',
      wasLongestWaiting: waiting.every((other) => arrivalOf(other) >= arrivalOf(entry)),
    });
  }
  return lifts;
}

/** How many high-priority tasks finished before the last task of `priority`. */
function highsBefore(order: readonly LedgerEntry[], priority: number): number {
  let last = -1;
  for (const [position, entry] of order.entries()) if (priorityOf(entry) === priority) last = position;
  return order.slice(0, Math.max(0, last)).filter((entry) => priorityOf(entry) === LEVELS.high).length;
}
