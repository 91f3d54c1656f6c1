/**
 * The errors spindle/piscina raises, with piscina's messages (code that
 * matches on them keeps working) and a stable `code` each, branded so that
 * `SpindleError.is(error)` recognises them. Where a core code means the same
 * thing it is reused. Every code is listed in docs/migrating-from-piscina.md.
 */
const brand = Symbol.for('spindle.error');

function branded(error: Error): void {
  Object.defineProperty(error, brand, { value: true });
}

/** A task aborted by its signal, or submitted while the pool closes: `cause` is the reason. */
export class PiscinaAbortError extends Error {
  readonly code = 'ERR_TASK_ABORTED';
  constructor(reason?: unknown) {
    super('The task has been aborted', { cause: reason });
    branded(this);
  }

  override get name(): string {
    return 'AbortError';
  }
}

/** A task the pool dropped because it was destroyed (or its close timed out). */
export class PiscinaTerminatedError extends Error {
  readonly code = 'ERR_POOL_DESTROYED';
  constructor() {
    super('Terminating worker thread');
    branded(this);
  }
}

/** `run()` without a `filename`, and the pool has none either. */
export class PiscinaFilenameError extends Error {
  readonly code = 'ERR_PISCINA_FILENAME_MISSING';
  constructor() {
    super('filename must be provided to run() or in options object');
    branded(this);
  }
}

/** The queue holds `maxQueue` tasks already (or `maxQueue` is 0 and every worker is busy). */
export class PiscinaQueueFullError extends Error {
  readonly code = 'ERR_QUEUE_FULL';
  constructor(maxQueue: number) {
    super(maxQueue === 0 ? 'No task queue available and all Workers are busy' : 'Task queue is at limit');
    branded(this);
  }
}

/** `close()` did not finish within `closeTimeout`: emitted as `error`, then the pool is destroyed. */
export class PiscinaCloseTimeoutError extends Error {
  readonly code = 'ERR_PISCINA_CLOSE_TIMEOUT';
  constructor() {
    super('Close operation timed out');
    branded(this);
  }
}

/** A worker ended (process.exit(), terminated) while running the task, without an uncaught error to report. */
export class PiscinaWorkerExitError extends Error {
  readonly code = 'ERR_WORKER_EXITED';
  readonly exitCode: number | undefined;
  constructor(exitCode: number | undefined) {
    super(`worker exited with code: ${String(exitCode)}`);
    this.exitCode = exitCode;
    branded(this);
  }
}

/** The task module has no function under the name asked for. */
export class PiscinaHandlerNotFoundError extends Error {
  readonly code = 'ERR_PISCINA_HANDLER_NOT_FOUND';
  constructor(name: string, filename: string) {
    super(`No handler function "${name}" exported from "${filename}"`);
    branded(this);
  }
}

/** A constructor option piscina would refuse, with piscina's message. */
export class PiscinaOptionError extends TypeError {
  readonly code = 'ERR_INVALID_OPTION';
  constructor(message: string) {
    super(message);
    branded(this);
  }
}

/** A `run()` argument or option piscina would refuse, with piscina's message. */
export class PiscinaArgumentError extends TypeError {
  readonly code = 'ERR_INVALID_ARGUMENT';
  constructor(message: string) {
    super(message);
    branded(this);
  }
}
