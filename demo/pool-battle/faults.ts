/**
 * The faults a battle task can be told to commit, one per execution, and
 * what the pool promises for each (docs/errors.md, docs/fault-tolerance.md).
 * Shared by the task module, which commits them, and the scenarios, which
 * work out the outcome each plan must have.
 */

export type Fault =
  /** Runs normally. */
  | 'none'
  /** Throws an Error with code `E_BATTLE_INVALID_INPUT`: the task's own error, never retried by default. */
  | 'throw'
  /** Returns a promise that rejects with code `E_BATTLE_REJECTED`. */
  | 'reject'
  /** Throws an error with code `E_BATTLE_GETTER` and an own enumerable property whose getter throws. */
  | 'throw-getter'
  /** Calls `process.exit(3)`. */
  | 'exit'
  /** Waits, while a timer throws an uncaught error. */
  | 'uncaught'
  /** Waits, while a rejection nobody handles is left behind. */
  | 'unhandled'
  /** Allocates many small objects until the worker's `resourceLimits` end it. */
  | 'out-of-memory'
  /** Spins deaf to its signal, until the pool ends its worker. */
  | 'hang'
  /** Spins, checking `context.throwIfAborted()`, until the pool asks it to stop. */
  | 'hang-cooperative';

/** The code each fault's own error carries (the task's error, not the pool's). */
export const OWN_ERROR_CODES = {
  throw: 'E_BATTLE_INVALID_INPUT',
  reject: 'E_BATTLE_REJECTED',
  'throw-getter': 'E_BATTLE_GETTER',
} as const;

/** The exit code of the `exit` fault. */
export const EXIT_FAULT_CODE = 3;

export interface ExpectedOutcome {
  /** undefined: the task completes. */
  readonly code: string | undefined;
  readonly executions: number;
  /** Workers that die by themselves (ERR_WORKER_EXITED, ERR_WORKER_OUT_OF_MEMORY). */
  readonly crashes: number;
  readonly timeouts: number;
  /** Workers the pool ends because a task ignored its timeout. */
  readonly terminations: number;
}

/**
 * What the documented policy makes of a plan: the default `retryOn` retries
 * worker deaths, out of memory and timeouts while retries remain, never the
 * task's own errors.
 */
export function expectedOutcome(faults: readonly Fault[], retries: number): ExpectedOutcome {
  let crashes = 0;
  let timeouts = 0;
  let terminations = 0;
  let retriesLeft = retries;
  for (let attempt = 0; ; attempt++) {
    const fault = faults[attempt] ?? 'none';
    const executions = attempt + 1;
    let code: string;
    switch (fault) {
      case 'none':
        return { code: undefined, executions, crashes, timeouts, terminations };
      case 'throw':
      case 'reject':
      case 'throw-getter':
        return { code: OWN_ERROR_CODES[fault], executions, crashes, timeouts, terminations };
      case 'exit':
      case 'uncaught':
      case 'unhandled':
        crashes++;
        code = 'ERR_WORKER_EXITED';
        break;
      case 'out-of-memory':
        crashes++;
        code = 'ERR_WORKER_OUT_OF_MEMORY';
        break;
      case 'hang':
        timeouts++;
        terminations++;
        code = 'ERR_TASK_TIMEOUT';
        break;
      case 'hang-cooperative':
        timeouts++;
        code = 'ERR_TASK_TIMEOUT';
        break;
    }
    if (retriesLeft === 0) return { code, executions, crashes, timeouts, terminations };
    retriesLeft--;
  }
}
