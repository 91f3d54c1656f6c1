/**
 * Predicates on how one task settled. Each returns undefined when the outcome
 * is allowed, or a sentence saying what was wrong.
 */

export type OutcomeCheck = (outcome: PromiseSettledResult<unknown>) => string | undefined;

/** The cause of the error with which a stray timer (fault task throwAfterReturning) kills its worker. */
const STRAY_TIMER_MESSAGE = 'thrown by a timer after the task returned';

function describe(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'fulfilled') return `resolved ${safeString(outcome.value)}`;
  const reason = outcome.reason as { name?: unknown; code?: unknown; message?: unknown } | null;
  return `rejected ${safeString(reason?.name)} ${safeString(reason?.code)}: ${safeString(reason?.message)}`;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function field(reason: unknown, name: string): unknown {
  return typeof reason === 'object' && reason !== null ? (reason as Record<string, unknown>)[name] : undefined;
}

export function resolvesTo(expected: unknown): OutcomeCheck {
  return (outcome) => (outcome.status === 'fulfilled' && outcome.value === expected ? undefined : `expected to resolve ${safeString(expected)}, ${describe(outcome)}`);
}

export function rejectsWithMessage(message: string, name = 'Error'): OutcomeCheck {
  return (outcome) =>
    outcome.status === 'rejected' && outcome.reason instanceof Error && outcome.reason.name === name && outcome.reason.message === message
      ? undefined
      : `expected to reject ${name}: ${message}, ${describe(outcome)}`;
}

/** A Spindle error with this code, and every listed property equal. */
export function rejectsWithCode(code: string, properties: Readonly<Record<string, unknown>> = {}): OutcomeCheck {
  return (outcome) => {
    if (outcome.status !== 'rejected' || !(outcome.reason instanceof Error) || field(outcome.reason, 'code') !== code) {
      return `expected to reject ${code}, ${describe(outcome)}`;
    }
    for (const [name, value] of Object.entries(properties)) {
      if (field(outcome.reason, name) !== value) return `expected ${code} with ${name} = ${safeString(value)}, got ${safeString(field(outcome.reason, name))}`;
    }
    return undefined;
  };
}

/** Any of the checks passes. */
export function either(...checks: readonly OutcomeCheck[]): OutcomeCheck {
  return (outcome) => {
    const failures: string[] = [];
    for (const check of checks) {
      const failure = check(outcome);
      if (failure === undefined) return undefined;
      failures.push(failure);
    }
    return failures.join(' / ');
  };
}

/**
 * An asynchronous task may be the one running when a stray timer from an
 * earlier task on its worker kills the worker: then, and only then, it may
 * reject ERR_WORKER_EXITED.
 */
export const killedByStrayTimer: OutcomeCheck = (outcome) => {
  if (outcome.status === 'rejected' && field(outcome.reason, 'code') === 'ERR_WORKER_EXITED') {
    const cause = field(outcome.reason, 'cause');
    if (field(cause, 'message') === STRAY_TIMER_MESSAGE) return undefined;
  }
  return `expected ERR_WORKER_EXITED caused by a stray timer, ${describe(outcome)}`;
};

/** ERR_TASK_ABORTED whose cause is exactly the reason given to abort(). */
export function abortedWith(reason: unknown): OutcomeCheck {
  return (outcome) =>
    outcome.status === 'rejected' && field(outcome.reason, 'code') === 'ERR_TASK_ABORTED' && field(outcome.reason, 'cause') === reason
      ? undefined
      : `expected ERR_TASK_ABORTED with the abort reason as cause, ${describe(outcome)}`;
}
