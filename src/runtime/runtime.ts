import type { ResourceLimits, Transferable } from 'node:worker_threads';
import type { WorkerBootData } from '../protocol/messages.js';

/**
 * RuntimeWorkerFactory is the seam between the scheduler and how a worker is started, messaged and
 * ended. Threads today; a child-process runtime can implement the same
 * interface without the scheduler changing.
 */
export interface WorkerSpec {
  /** The script the worker runs (Spindle's worker entry). */
  readonly entry: URL;
  readonly bootData: WorkerBootData;
  /** The pool's `workerData` option: what `workerData` is inside the worker. */
  readonly workerData: unknown;
  readonly name: string;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
}

export interface RuntimeEvents {
  readonly message: (message: readonly unknown[]) => void;
  /** An error the worker did not handle; `exit` follows. */
  readonly error: (error: Error) => void;
  readonly exit: (exitCode: number) => void;
}

export interface RuntimeWorker {
  /** A number identifying the worker in logs and statistics. */
  readonly threadId: number;
  post(message: readonly unknown[], transferList: readonly Transferable[]): void;
  /** Forcefully ends the worker; `exit` still fires. */
  terminate(): void;
  /** Whether the worker keeps the host's event loop alive. */
  ref(keepAlive: boolean): void;
}

export type RuntimeWorkerFactory = (spec: WorkerSpec, events: RuntimeEvents) => RuntimeWorker;
