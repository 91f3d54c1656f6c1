/**
 * The soak's own bookkeeping: every task it submitted, how each settled, and
 * every broken invariant. It never trusts the pool's statistics; it checks
 * them against what it saw.
 */
import type { RunCounter } from '../fixtures/fault-tasks.js';
import type { RunCounts } from './run-counts.js';
import type { Submission } from './task-mix.js';

/** Only the first violations are kept word for word; the rest are counted. */
const KEPT_VIOLATIONS = 25;

export interface KindTally {
  submitted: number;
  resolved: number;
  rejected: number;
}

export class Ledger {
  submitted = 0;
  settled = 0;
  violationCount = 0;
  readonly violations: string[] = [];
  readonly byKind = new Map<string, KindTally>();
  /** Submitted and not yet settled: task number → when it was submitted. */
  readonly #pending = new Map<number, { readonly kind: string; readonly submittedAt: number }>();
  readonly #counts: RunCounts;
  /** Run checks a file counter can only make at the end: task number, kind, slot, allowed runs. */
  readonly #deferred: { readonly taskNumber: number; readonly kind: string; readonly slot: number; readonly least: number; readonly most: number }[] = [];

  constructor(counts: RunCounts) {
    this.#counts = counts;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** The run counter of task number `taskNumber`, zeroed. */
  counterFor(taskNumber: number): RunCounter {
    return this.#counts.counter(taskNumber);
  }

  /** Watches one submission until it settles, checking how it did. */
  track(taskNumber: number, kind: string, submission: Submission): void {
    const slot = taskNumber;
    this.submitted++;
    const tally = this.#tally(kind);
    tally.submitted++;
    this.#pending.set(taskNumber, { kind, submittedAt: performance.now() });
    let settlements = 0;
    const onSettled = (outcome: PromiseSettledResult<unknown>): void => {
      settlements++;
      if (settlements > 1) {
        this.violation(`task ${taskNumber} (${kind}) settled ${settlements} times`);
        return;
      }
      this.settled++;
      this.#pending.delete(taskNumber);
      if (outcome.status === 'fulfilled') tally.resolved++;
      else tally.rejected++;
      const failure = submission.check(outcome);
      if (failure !== undefined) this.violation(`task ${taskNumber} (${kind}): ${failure}`);
      if (submission.runs !== undefined) {
        const runs = this.#counts.runs(slot);
        if (runs === undefined) this.#deferred.push({ taskNumber, kind, slot, ...submission.runs });
        else this.#checkRuns(taskNumber, kind, runs, submission.runs.least, submission.runs.most);
      }
    };
    submission.promise.then(
      (value) => { onSettled({ status: 'fulfilled', value }); },
      (reason: unknown) => { onSettled({ status: 'rejected', reason }); },
    );
  }

  /** The run checks that had to wait for the end (a file counter). */
  checkDeferredRuns(): void {
    if (this.#deferred.length === 0) return;
    const counts = this.#counts.final();
    for (const { taskNumber, kind, slot, least, most } of this.#deferred) this.#checkRuns(taskNumber, kind, counts.get(slot) ?? 0, least, most);
  }

  #checkRuns(taskNumber: number, kind: string, runs: number, least: number, most: number): void {
    if (runs < least || runs > most) this.violation(`task ${taskNumber} (${kind}) ran ${runs} times, allowed ${least} to ${most}`);
  }

  /** How long the oldest unsettled task has waited, and its kind. */
  oldestPending(now: number): { readonly ageMs: number; readonly kind: string } | undefined {
    for (const entry of this.#pending.values()) return { ageMs: now - entry.submittedAt, kind: entry.kind };
    return undefined;
  }

  pendingKinds(): string[] {
    return [...this.#pending.values()].map((entry) => entry.kind);
  }

  violation(message: string): void {
    this.violationCount++;
    if (this.violations.length < KEPT_VIOLATIONS) this.violations.push(message);
  }

  #tally(kind: string): KindTally {
    let tally = this.byKind.get(kind);
    if (tally === undefined) {
      tally = { submitted: 0, resolved: 0, rejected: 0 };
      this.byKind.set(kind, tally);
    }
    return tally;
  }
}
