/** What the primary's signal handlers drive. */
export interface SignalTarget {
  reload(): Promise<void>;
  close(): Promise<void>;
  /** Kills every process still running, at once. */
  killAll(): void;
  readonly log: (line: string) => void;
}

/** A second SIGTERM/SIGINT sooner than this after the first is the same one, delivered twice. */
const REPEAT_WINDOW_MS = 1_000;

/**
 * SIGHUP: a rolling restart. SIGTERM or SIGINT: a graceful shutdown, then
 * `process.exit()`: 0 when every process drained, 1 when one had to be
 * killed (the log names it). A second SIGTERM or SIGINT during the shutdown
 * (a second or more after the first) kills the processes still draining. Returns the uninstaller.
 */
export function installPrimarySignals(target: SignalTarget): () => void {
  const onHangUp = (): void => {
    target.log('SIGHUP: rolling restart');
    target.reload().catch((error: unknown) => {
      target.log(`rolling restart failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  let firstStopAt: number | undefined;
  const onStop = (signal: NodeJS.Signals): void => {
    if (firstStopAt !== undefined) {
      // One signal can arrive twice (sent to the process and to its group); a person's second Ctrl-C comes later.
      if (performance.now() - firstStopAt < REPEAT_WINDOW_MS) return;
      target.log(`${signal} again: killing the processes still draining`);
      target.killAll();
      return;
    }
    firstStopAt = performance.now();
    target.log(`${signal}: draining every process, then exiting`);
    target.close().then(
      () => {
        target.log('every process drained; exiting with code 0');
        process.exit(0);
      },
      (error: unknown) => {
        target.log(`${error instanceof Error ? error.message : String(error)}; exiting with code 1`);
        process.exit(1);
      },
    );
  };
  process.on('SIGHUP', onHangUp);
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  return () => {
    process.off('SIGHUP', onHangUp);
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
  };
}
