/** The names every worker module exports (see ../workers/). */
export type TaskName = 'noop' | 'fib' | 'fibTimed' | 'spin' | 'quickJob' | 'slowJob';

/** What every workload needs from a pool: one adapter per library, same worker code behind each. */
export interface BenchPool {
  /** Runs `task` with a number; `urgent` asks for high priority where the library has priorities. */
  run(task: TaskName, argument: number, urgent?: boolean): Promise<unknown>;
  /** Sends `buffer` to a worker and back with the library's zero-copy mechanism. */
  echoBuffer(buffer: ArrayBuffer): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

export interface PoolSettings {
  readonly threads: number;
  /** Turn on what the library needs for priorities (poolifier: its tasks queue). */
  readonly priorities: boolean;
}

export type CreatePool = (settings: PoolSettings) => BenchPool;

/** Thread pools run against each other, process pools against each other. */
export type PoolGroup = 'threads' | 'process';

/** How each library was driven, printed under the results. */
export interface PoolDescription {
  readonly group: PoolGroup;
  /** How the workers run, for the process group: the library's option and its IPC. */
  readonly runtime?: string;
  readonly create: () => Promise<CreatePool>;
  readonly priorities: string;
  readonly transfer: string;
}

export function workerModule(fileName: string): URL {
  return new URL(`../workers/${fileName}`, import.meta.url);
}

/**
 * Waits for a pool to close, at most `limitMs`. The timer also keeps the event
 * loop alive: poolifier's destroy() can leave nothing referenced while its
 * promise is still pending, and Node would then quit with exit code 13.
 */
export async function closeWithin(closing: Promise<unknown>, limitMs = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  try {
    await Promise.race([closing.then(() => undefined), limit]);
  } finally {
    clearTimeout(timer);
  }
}
