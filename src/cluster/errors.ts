/**
 * The errors `spindle/cluster` raises, each with a stable `code`. Like the
 * core's, they carry the brand that `SpindleError.is(error)` recognizes, so
 * match on `error.code`. Invalid options throw the core's
 * `ERR_INVALID_OPTION` (`InvalidOptionError`). docs/cluster.md lists every
 * code; a test keeps that table and this file in sync.
 */

/** The codes of the errors only `spindle/cluster` raises. */
export const clusterErrorCodes = ['ERR_PROCESS_START_FAILED', 'ERR_RELOAD_FAILED', 'ERR_CLUSTER_CLOSED', 'ERR_SHUTDOWN_TIMEOUT', 'ERR_METRICS_TIMEOUT'] as const;

export type ClusterErrorCode = (typeof clusterErrorCodes)[number];

/** Base class of the cluster's errors. */
export class ClusterError extends Error {
  readonly code: ClusterErrorCode;

  constructor(code: ClusterErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, Symbol.for('spindle.error'), { value: true });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** Why a process did not become ready. */
export type StartFailureReason = 'not-found' | 'exited' | 'timeout';

/**
 * A process of the cluster did not report ready: its worker module does not
 * exist, it exited first (the module threw, or exited), or it stayed silent
 * past `startTimeout`. The message names the module.
 */
export class ProcessStartError extends ClusterError {
  /** The worker module, as an absolute path. */
  readonly file: string;
  readonly reason: StartFailureReason;
  /** The process's exit code, when it exited by itself. */
  readonly exitCode: number | null;
  /** The signal that ended it, when one did. */
  readonly signal: string | null;

  constructor(file: string, reason: StartFailureReason, message: string, exit: { readonly exitCode?: number | null; readonly signal?: string | null } = {}) {
    super('ERR_PROCESS_START_FAILED', message);
    this.file = file;
    this.reason = reason;
    this.exitCode = exit.exitCode ?? null;
    this.signal = exit.signal ?? null;
  }
}

/**
 * A rolling restart stopped because a new process did not become ready; the
 * old processes it had not yet replaced keep serving. `cause` is the
 * `ProcessStartError`.
 */
export class ReloadError extends ClusterError {
  constructor(message: string, cause?: unknown) {
    super('ERR_RELOAD_FAILED', message, { cause });
  }
}

/** `reload()` on a cluster that is closing or closed. */
export class ClusterClosedError extends ClusterError {
  constructor(message: string) {
    super('ERR_CLUSTER_CLOSED', message);
  }
}

/** Processes did not finish draining within the timeout and were killed; `pids` names them. */
export class ShutdownTimeoutError extends ClusterError {
  readonly pids: readonly number[];

  constructor(message: string, pids: readonly number[]) {
    super('ERR_SHUTDOWN_TIMEOUT', message);
    this.pids = Object.freeze([...pids]);
  }
}

/** The primary did not answer a process's request for the fleet's metrics in time. */
export class MetricsTimeoutError extends ClusterError {
  constructor(message: string) {
    super('ERR_METRICS_TIMEOUT', message);
  }
}
