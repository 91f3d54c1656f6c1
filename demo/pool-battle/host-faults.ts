/**
 * Records what would reach the host process from a misbehaving pool: an
 * uncaught exception (observed through `uncaughtExceptionMonitor`, so the
 * process still ends as it would) and unhandled rejections.
 */
export class HostFaults {
  readonly #faults: string[] = [];
  readonly #onException = (error: unknown): void => {
    this.#faults.push(`uncaught exception: ${String(error)}`);
  };
  readonly #onRejection = (reason: unknown): void => {
    this.#faults.push(`unhandled rejection: ${String(reason)}`);
  };

  constructor() {
    process.on('uncaughtExceptionMonitor', this.#onException);
    process.on('unhandledRejection', this.#onRejection);
  }

  /** Stops recording; returns what was seen. */
  stop(): readonly string[] {
    process.off('uncaughtExceptionMonitor', this.#onException);
    process.off('unhandledRejection', this.#onRejection);
    return this.#faults;
  }
}
