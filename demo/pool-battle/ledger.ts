import type { Fault } from './faults.js';
import { executionsOf, type ExecutionCounter } from './work.js';

/** How a task's promise settled, as the caller sees it. */
export type Settlement = 'completed' | 'failed' | 'aborted';

/** Codes with which `run()` refuses a task at once: the pool never accepted it. */
export const REJECTED_AT_SUBMISSION: ReadonlySet<string> = new Set(['ERR_QUEUE_FULL', 'ERR_POOL_CLOSED']);

export interface TaskPlan {
  readonly scenario: string;
  /** What the task is, for checks and reports: 'healthy', 'exit', 'probe', … */
  readonly kind: string;
  /** Extra attempts this call allows (its `retries`). */
  readonly retries: number;
  /** What each execution is told to do, for tasks of the `faulty` kind. */
  readonly faults?: readonly Fault[];
}

/** One submitted task, from `run()` to its settlement. */
export class LedgerEntry {
  readonly id: number;
  readonly plan: TaskPlan;
  readonly counter: ExecutionCounter;
  readonly submittedAt: number;
  settledAt: number | undefined = undefined;
  settlement: Settlement | undefined = undefined;
  /** The rejection's `code` (or its name when it has none). */
  code: string | undefined = undefined;
  value: unknown = undefined;
  reason: unknown = undefined;
  /** Always 0 or 1 for a promise; counted anyway, since "exactly once" is what the ledger is for. */
  timesSettled = 0;
  /** Resolves once the settlement is recorded. */
  readonly done: Promise<LedgerEntry>;

  constructor(id: number, plan: TaskPlan, counter: ExecutionCounter, submit: (counter: ExecutionCounter) => Promise<unknown>) {
    this.id = id;
    this.plan = plan;
    this.counter = counter;
    this.submittedAt = performance.now();
    this.done = submit(counter).then(
      (value) => this.#settle('completed', undefined, value, undefined),
      (reason: unknown) => {
        const code = codeOf(reason);
        return this.#settle(code === 'ERR_TASK_ABORTED' ? 'aborted' : 'failed', code, undefined, reason);
      },
    );
  }

  /** How often the task body started, read from the shared counter the task increments. */
  get executions(): number {
    return executionsOf(this.counter);
  }

  get latencyMs(): number | undefined {
    return this.settledAt === undefined ? undefined : this.settledAt - this.submittedAt;
  }

  get rejectedAtSubmission(): boolean {
    return this.code !== undefined && REJECTED_AT_SUBMISSION.has(this.code);
  }

  #settle(settlement: Settlement, code: string | undefined, value: unknown, reason: unknown): this {
    this.timesSettled++;
    this.settledAt = performance.now();
    this.settlement = settlement;
    this.code = code;
    this.value = value;
    this.reason = reason;
    return this;
  }
}

/** Slots per shared counter buffer; a new buffer is added when one is full. */
const SLOTS_PER_BUFFER = 16_384;

/**
 * The caller's own record of every task the battle test submits: when, with
 * which plan, how it settled, and (through a shared counter the task body
 * increments) how many times it actually ran. Checked against `pool.stats()`
 * at the end: both must add up.
 */
export class TaskLedger {
  readonly #entries: LedgerEntry[] = [];
  readonly #buffers: SharedArrayBuffer[] = [];

  /** Records a task and submits it: `submit` receives the counter to hand to the task. */
  track(plan: TaskPlan, submit: (counter: ExecutionCounter) => Promise<unknown>): LedgerEntry {
    const id = this.#entries.length;
    const slot = id % SLOTS_PER_BUFFER;
    if (slot === 0) this.#buffers.push(new SharedArrayBuffer(SLOTS_PER_BUFFER * Int32Array.BYTES_PER_ELEMENT));
    const counters = this.#buffers.at(-1);
    if (counters === undefined) throw new Error('no counter buffer');
    const entry = new LedgerEntry(id, plan, { counters, slot }, submit);
    this.#entries.push(entry);
    return entry;
  }

  entries(scenario?: string): readonly LedgerEntry[] {
    return scenario === undefined ? this.#entries : this.#entries.filter((entry) => entry.plan.scenario === scenario);
  }

  /** Waits until every given entry has settled, or `timeoutMs` passes; resolves with those still unsettled. */
  async settle(entries: readonly LedgerEntry[], timeoutMs: number): Promise<readonly LedgerEntry[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(entries.map((entry) => entry.done)), deadline]);
    clearTimeout(timer);
    return entries.filter((entry) => entry.timesSettled === 0);
  }

  summarize(entries: readonly LedgerEntry[] = this.#entries): LedgerSummary {
    return summarizeEntries(entries);
  }
}

/** What the ledger adds up to; the accounting checks compare it with `pool.stats()`. */
export interface LedgerSummary {
  /** Every `run()` call. */
  readonly submitted: number;
  readonly unsettled: number;
  readonly settledMoreThanOnce: number;
  readonly completed: number;
  /** Failed, the refusals at submission included; aborted ones not. */
  readonly failed: number;
  readonly aborted: number;
  readonly failedByCode: Readonly<Record<string, number>>;
  /** Refused by `run()` at once (ERR_QUEUE_FULL, ERR_POOL_CLOSED): never accepted by the pool. */
  readonly rejectedAtSubmission: number;
  readonly rejectedQueueFull: number;
  /** Settled with ERR_TASK_TIMEOUT (timeouts that were retried are not settlements). */
  readonly timedOut: number;
  /** Task bodies started, in all. */
  readonly executions: number;
  /** Executions beyond each task's first: what the pool must count as retries. */
  readonly extraExecutions: number;
  /** Tasks whose body ran more often than 1 + their retries. */
  readonly overBudget: number;
  /** Tasks that completed although their body never ran. */
  readonly completedWithoutRunning: number;
  /** Tasks refused at submission whose body ran anyway. */
  readonly rejectedButRan: number;
}

export function summarizeEntries(entries: readonly LedgerEntry[]): LedgerSummary {
  let unsettled = 0;
  let settledMoreThanOnce = 0;
  let completed = 0;
  let failed = 0;
  let aborted = 0;
  let rejectedAtSubmission = 0;
  let rejectedQueueFull = 0;
  let timedOut = 0;
  let executions = 0;
  let extraExecutions = 0;
  let overBudget = 0;
  let completedWithoutRunning = 0;
  let rejectedButRan = 0;
  const failedByCode: Record<string, number> = {};
  for (const entry of entries) {
    const ran = entry.executions;
    executions += ran;
    extraExecutions += Math.max(0, ran - 1);
    if (ran > 1 + entry.plan.retries) overBudget++;
    if (entry.timesSettled === 0) unsettled++;
    if (entry.timesSettled > 1) settledMoreThanOnce++;
    if (entry.settlement === 'completed') {
      completed++;
      if (ran === 0) completedWithoutRunning++;
    } else if (entry.settlement === 'aborted') aborted++;
    else if (entry.settlement === 'failed') {
      failed++;
      const code = entry.code ?? 'no code';
      failedByCode[code] = (failedByCode[code] ?? 0) + 1;
      if (entry.rejectedAtSubmission) {
        rejectedAtSubmission++;
        if (ran > 0) rejectedButRan++;
      }
      if (code === 'ERR_QUEUE_FULL') rejectedQueueFull++;
      if (code === 'ERR_TASK_TIMEOUT') timedOut++;
    }
  }
  return {
    submitted: entries.length,
    unsettled,
    settledMoreThanOnce,
    completed,
    failed,
    aborted,
    failedByCode,
    rejectedAtSubmission,
    rejectedQueueFull,
    timedOut,
    executions,
    extraExecutions,
    overBudget,
    completedWithoutRunning,
    rejectedButRan,
  };
}

/** The `code` of a rejection reason, or its name when it has none. */
export function codeOf(reason: unknown): string {
  if (typeof reason === 'object' && reason !== null) {
    if ('code' in reason && typeof reason.code === 'string') return reason.code;
    if ('name' in reason && typeof reason.name === 'string') return reason.name;
  }
  return 'no code';
}

/** "400 of 400 completed", or with the codes of those that did not: "397 of 400; ERR_WORKER_EXITED ×3". */
export function completionDetail(entries: readonly LedgerEntry[]): string {
  const byCode = new Map<string, number>();
  let completed = 0;
  for (const entry of entries) {
    if (entry.settlement === 'completed') {
      completed++;
      continue;
    }
    const code = entry.timesSettled === 0 ? 'unsettled' : (entry.code ?? 'no code');
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const rest = [...byCode].map(([code, value]) => `${code} ×${String(value)}`).join(', ');
  return `${completed.toLocaleString('en-US')} of ${entries.length.toLocaleString('en-US')}${rest === '' ? '' : `; ${rest}`}`;
}
