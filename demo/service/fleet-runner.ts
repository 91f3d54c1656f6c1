import type { RunOptions } from 'spindle';
import { QueuePool, type QueueRunOptions } from 'spindle/bullmq';
import type { DemoTasks, TaskRunner } from './task-runner.js';

/** The BullMQ queue the demo's fleet nodes (demo/fleet/node.ts) serve. */
export const DEMO_FLEET_QUEUE = 'spindle-demo';

export interface FleetRunnerOptions {
  /** The fleet's Redis, e.g. `redis://127.0.0.1:6379`. */
  readonly redisUrl: string;
  /** Jobs in flight before requests are shed with 503 (ERR_QUEUE_FULL). */
  readonly maxInFlight: number;
}

/**
 * Sends the demo's tasks to a fleet: each `run()` becomes a BullMQ job that a
 * `serveQueue()` node runs (`npm start -- --serve --fleet redis://…`).
 */
export function createFleetRunner(options: FleetRunnerOptions): TaskRunner {
  const fleet = new QueuePool<DemoTasks>({ queue: DEMO_FLEET_QUEUE, connection: options.redisUrl, maxInFlight: options.maxInFlight });
  const run = (name: string, argument?: unknown, runOptions?: RunOptions): Promise<unknown> =>
    // The routes pass no options but a signal; a local pool's fractional priorities and queue options do not apply here.
    (fleet as QueuePool).run(name, argument, runOptions?.signal == null ? undefined : ({ signal: runOptions.signal } satisfies QueueRunOptions));
  return {
    mode: 'fleet',
    pool: undefined,
    ready: fleet.ready,
    run: run as TaskRunner['run'],
    stats: () => undefined,
    close: () => fleet.close(),
  };
}
