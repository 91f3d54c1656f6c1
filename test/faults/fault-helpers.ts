/** Shared helpers of the fault-injection tests: fixtures, waiting, host-fault recording, child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const faultTasksUrl = new URL('../fixtures/fault-tasks.js', import.meta.url);
export const loadThrowsUrl = new URL('../fixtures/fault-load-throws.js', import.meta.url);
export const loadWhileFlaggedUrl = new URL('../fixtures/fault-load-while-flagged.js', import.meta.url);

export const memoryChildUrl = new URL('../fixtures/fault-memory-child.js', import.meta.url);
export const shutdownChildUrl = new URL('../fixtures/fault-shutdown-child.js', import.meta.url);

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

export interface ChildOutcome {
  /** null when the child was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit. */
  readonly durationMs: number;
  /** The child outlived `timeoutMs` and was killed. */
  readonly timedOut: boolean;
}

/**
 * Runs a compiled fixture script in a child `node`, killing it after
 * `timeoutMs`. `onLine` sees each line of its stdout as it arrives.
 */
export function runChild(
  script: URL,
  args: readonly string[],
  options: {
    readonly execArgv?: readonly string[];
    readonly timeoutMs: number;
    readonly onLine?: (line: string, child: ChildProcess) => void;
    /** Leave out coverage collection (c8's NODE_V8_COVERAGE): every exiting worker would write a report of its own. */
    readonly withoutCoverage?: boolean;
    /** Start the child as the leader of a process group of its own (its pid is the group's); the timeout kills the whole group. */
    readonly ownGroup?: boolean;
  },
): Promise<ChildOutcome> {
  const started = performance.now();
  const env = { ...process.env };
  if (options.withoutCoverage === true) delete env.NODE_V8_COVERAGE;
  const child = spawn(process.execPath, [...(options.execArgv ?? []), fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: options.ownGroup === true });
  let stdout = '';
  let stderr = '';
  let pending = '';
  let timedOut = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line, child);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    if (options.ownGroup === true && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
  });
}

/** The last line of a child's stdout, parsed as JSON. */
export function lastJsonLine(outcome: ChildOutcome): Record<string, unknown> {
  const line = outcome.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`the child printed no JSON (exit ${String(outcome.exitCode)}): ${outcome.stdout}\n${outcome.stderr}`);
  }
}
