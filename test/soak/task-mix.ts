/**
 * What the soak submits: ordinary traffic (mostly healthy, some cheap
 * failures and cancellations) and injected faults (worker deaths, hung
 * tasks, OOM), each with the outcomes it may settle with.
 */
import type { Pool } from 'spindle';
import type { RunCounter } from '../fixtures/fault-tasks.js';
import { abortedWith, either, killedByStrayTimer, rejectsWithCode, rejectsWithMessage, resolvesTo, type OutcomeCheck } from './outcome-checks.js';

export type FaultTasks = typeof import('../fixtures/fault-tasks.js');
export type SoakPool = Pool<FaultTasks>;

export interface SubmitContext {
  readonly pool: SoakPool;
  /** This task's number. */
  readonly slot: number;
  /** Where this task counts its runs, zeroed. */
  readonly counter: RunCounter;
  /** A signal that many tasks share and nobody aborts: every listener must be removed once they settle. */
  readonly sharedSignal: AbortSignal;
}

export interface Submission {
  readonly promise: Promise<unknown>;
  readonly check: OutcomeCheck;
  /** For tasks that count their runs: how many runs are allowed, inclusive. */
  readonly runs?: { readonly least: number; readonly most: number };
}

export interface TaskKind {
  readonly name: string;
  readonly weight: number;
  submit(context: SubmitContext): Submission;
}

function between(least: number, most: number): number {
  return least + Math.floor(Math.random() * (most - least + 1));
}

/** Aborts `controller` after `delayMs` with a fresh reason, returned for the outcome check. */
function abortLater(controller: AbortController, delayMs: number): Error {
  const reason = new Error(`aborted by the soak after ${delayMs} ms`);
  setTimeout(() => { controller.abort(reason); }, delayMs);
  return reason;
}

export const trafficKinds: readonly TaskKind[] = [
  {
    name: 'count a run',
    weight: 45,
    submit: ({ pool, counter, sharedSignal }) => ({
      // A synchronous task that no neighbour can harm: it must run exactly once and succeed.
      promise: pool.run('countRun', counter, { signal: sharedSignal }),
      check: resolvesTo(1),
      runs: { least: 1, most: 1 },
    }),
  },
  {
    name: 'count a run, retries 2',
    weight: 10,
    submit: ({ pool, counter }) => ({
      promise: pool.run('countRun', counter, { retries: 2 }),
      check: resolvesTo(1),
      runs: { least: 1, most: 1 },
    }),
  },
  {
    name: 'succeed',
    weight: 15,
    submit: ({ pool, slot }) => ({ promise: pool.run('succeed', slot), check: resolvesTo(slot) }),
  },
  {
    name: 'throw',
    weight: 8,
    submit: ({ pool, slot }) => ({ promise: pool.run('throwError', `error ${slot}`), check: rejectsWithMessage(`error ${slot}`) }),
  },
  {
    name: 'reject later',
    weight: 4,
    submit: ({ pool, slot }) => ({
      promise: pool.run('rejectLater', `rejection ${slot}`),
      check: either(rejectsWithMessage(`rejection ${slot}`), killedByStrayTimer),
    }),
  },
  {
    name: 'sleep',
    weight: 5,
    submit: ({ pool }) => {
      const ms = between(1, 20);
      return { promise: pool.run('sleep', ms), check: either(resolvesTo(ms), killedByStrayTimer) };
    },
  },
  {
    name: 'sleep, aborted',
    weight: 4,
    submit: ({ pool }) => {
      const ms = between(5, 40);
      const controller = new AbortController();
      const promise = pool.run('sleep', ms, { signal: controller.signal });
      const reason = abortLater(controller, between(0, 150));
      return { promise, check: either(resolvesTo(ms), abortedWith(reason), killedByStrayTimer) };
    },
  },
  {
    name: 'cooperative abort',
    weight: 3,
    submit: ({ pool }) => {
      const controller = new AbortController();
      const promise = pool.run('sleepUntilAborted', 10_000, { signal: controller.signal });
      const reason = abortLater(controller, between(0, 50));
      return { promise, check: either(abortedWith(reason), killedByStrayTimer) };
    },
  },
  {
    name: 'queue timeout',
    weight: 3,
    submit: ({ pool, slot }) => ({
      promise: pool.run('succeed', slot, { queueTimeout: between(1, 200) }),
      check: either(resolvesTo(slot), rejectsWithCode('ERR_QUEUE_TIMEOUT')),
    }),
  },
  {
    name: 'stack overflow',
    weight: 1,
    submit: ({ pool }) => ({ promise: pool.run('overflowStack'), check: rejectsWithMessage('Maximum call stack size exceeded', 'RangeError') }),
  },
];

export const faultKinds: readonly TaskKind[] = [
  {
    name: 'process.exit',
    weight: 20,
    submit: ({ pool }) => {
      const exitCode = between(0, 1);
      return { promise: pool.run('exitProcess', exitCode), check: rejectsWithCode('ERR_WORKER_EXITED', { exitCode }) };
    },
  },
  {
    name: 'process.exit with retries',
    weight: 15,
    submit: ({ pool, counter }) => {
      const retries = between(1, 2);
      // Every attempt kills its worker, so every retry is spent: exactly 1 + retries runs.
      return {
        promise: pool.run('countRunThenExit', counter, { retries }),
        check: rejectsWithCode('ERR_WORKER_EXITED', { exitCode: 1 }),
        runs: { least: 1 + retries, most: 1 + retries },
      };
    },
  },
  {
    name: 'timeout of a hung task',
    weight: 15,
    submit: ({ pool }) => ({
      promise: pool.run('spinForever', undefined, { timeout: between(30, 100), retries: between(0, 1) }),
      check: rejectsWithCode('ERR_TASK_TIMEOUT'),
    }),
  },
  {
    name: 'abort of a hung task',
    weight: 15,
    submit: ({ pool }) => {
      const controller = new AbortController();
      const promise = pool.run('spinForever', undefined, { signal: controller.signal });
      return { promise, check: abortedWith(abortLater(controller, between(10, 80))) };
    },
  },
  {
    name: 'unhandled rejection',
    weight: 10,
    submit: ({ pool }) => ({ promise: pool.run('rejectUnhandled'), check: rejectsWithCode('ERR_WORKER_EXITED', { exitCode: 1 }) }),
  },
  {
    name: 'throw after returning',
    weight: 15,
    submit: ({ pool }) => ({ promise: pool.run('throwAfterReturning', between(1, 5)), check: resolvesTo('returned') }),
  },
  {
    name: 'out of memory',
    weight: 3,
    submit: ({ pool }) => ({ promise: pool.run('allocateForever'), check: rejectsWithCode('ERR_WORKER_OUT_OF_MEMORY') }),
  },
];

/** Picks a kind at random, in proportion to the weights. */
export function pickKind(kinds: readonly TaskKind[]): TaskKind {
  const total = kinds.reduce((sum, kind) => sum + kind.weight, 0);
  let ticket = Math.random() * total;
  for (const kind of kinds) {
    ticket -= kind.weight;
    if (ticket < 0) return kind;
  }
  const last = kinds.at(-1);
  if (last === undefined) throw new Error('no task kinds');
  return last;
}
