/** Shared helpers of the fault-injection tests: fixtures, waiting, host-fault recording, garbage collection. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const faultTasksUrl = new URL('../fixtures/fault-tasks.js', import.meta.url);
export const loadThrowsUrl = new URL('../fixtures/fault-load-throws.js', import.meta.url);
export const loadWhileFlaggedUrl = new URL('../fixtures/fault-load-while-flagged.js', import.meta.url);

export type FaultTasks = typeof import('../fixtures/fault-tasks.js');

/** The `code` of a rejection reason, or undefined. */
export function codeOf(reason: unknown): unknown {
  return typeof reason === 'object' && reason !== null && 'code' in reason ? reason.code : undefined;
}

/** Polls `condition` every few milliseconds; resolves with the time it took, rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Records every uncaughtException and unhandledRejection the host process
 * sees from now on; `stop()` detaches the listeners and returns the record.
 */
export function recordHostFaults(): { stop(): readonly string[] } {
  const faults: string[] = [];
  const onException = (error: unknown): void => {
    faults.push(`uncaughtException: ${String(error)}`);
  };
  const onRejection = (reason: unknown): void => {
    faults.push(`unhandledRejection: ${String(reason)}`);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    stop() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
      return faults;
    },
  };
}

let collect: (() => void) | undefined;

/** A full garbage collection, without needing node --expose-gc on the command line. */
export function collectGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

/** Heap used after a full collection, in bytes. */
export async function settledHeapUsed(): Promise<number> {
  await delay(10);
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
