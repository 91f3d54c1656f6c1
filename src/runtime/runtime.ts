import type { ResourceLimits, Transferable, Worker } from 'node:worker_threads';
import type { WorkerBootData } from '../protocol/messages.js';
import type { Permissions } from './permissions.js';

/**
 * The seam between the scheduler and how a worker is started, messaged and
 * ended: a thread (thread-runtime.ts) or a child process
 * (process-runtime.ts). The scheduler never learns which; it only asks
 * whether the worker shares memory with the pool (see shared-slots.ts).
 */
export interface WorkerSpec {
  readonly bootData: WorkerBootData;
  /** The pool's `workerData` option: what `workerData` is inside the worker. */
  readonly workerData: unknown;
  readonly name: string;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly resourceLimits: ResourceLimits | undefined;
  /** The process runtime's permission model; threads ignore it (options.ts refuses it for them). */
  readonly permissions: Permissions | undefined;
  /** Extra `process.argv` entries of a thread worker; processes ignore it. */
  readonly argv?: readonly string[] | undefined;
  /** Node's `trackUnmanagedFds` Worker option; processes ignore it. */
  readonly trackUnmanagedFds?: boolean | undefined;
}

export interface RuntimeEvents {
  readonly message: (message: readonly unknown[]) => void;
  /** An error the worker did not handle; `exit` follows. `weak`: a guess, kept only if the worker reported no error of its own. */
  readonly error: (error: Error, options?: { readonly weak: boolean }) => void;
  /** The worker ended; `signal` for a process killed by one. Every message it sent was delivered before. */
  readonly exit: (exitCode: number, signal?: NodeJS.Signals) => void;
}

export interface RuntimeWorker {
  /** A number identifying the worker in logs and statistics: a thread id, or a process id. */
  readonly threadId: number;
  /** Whether the worker shares memory with the pool: the claims, the abort slot and the result log of shared-slots.ts. */
  readonly sharesMemory: boolean;
  post(message: readonly unknown[], transferList: readonly Transferable[]): void;
  /** Forcefully ends the worker; `exit` still fires. */
  terminate(): void;
  /** Whether the worker keeps the host's event loop alive. */
  ref(keepAlive: boolean): void;
  /** The `worker_threads` Worker of a thread worker (spindle/piscina's `threads` lists them); undefined for a process. */
  readonly thread?: Worker;
}

export type RuntimeWorkerFactory = (spec: WorkerSpec, events: RuntimeEvents) => RuntimeWorker;
