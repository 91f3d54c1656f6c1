import { burst } from './burst.js';
import { cpu } from './cpu.js';
import { footprint } from './footprint.js';
import { latency } from './latency.js';
import { mixed } from './mixed.js';
import { stall } from './stall.js';
import { startup } from './startup.js';
import { transfer } from './transfer.js';
import { window } from './window.js';
import type { Workload } from './workload.js';

export const WORKLOADS = { burst, window, latency, cpu, transfer, mixed, stall, startup, footprint } as const satisfies Record<string, Workload>;

export type WorkloadName = keyof typeof WORKLOADS;

export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];

/** What the thread group runs by default. */
export const THREAD_WORKLOADS: readonly WorkloadName[] = ['burst', 'window', 'latency', 'cpu', 'transfer', 'mixed', 'stall', 'startup'];

/** What the process group runs by default (the figures of issue 14); the footprint runs after it, Spindle only. */
export const PROCESS_WORKLOADS: readonly WorkloadName[] = ['burst', 'window', 'latency', 'cpu', 'startup'];

export function isWorkloadName(name: string): name is WorkloadName {
  return Object.hasOwn(WORKLOADS, name);
}
