import { burst } from './burst.js';
import { cpu } from './cpu.js';
import { latency } from './latency.js';
import { mixed } from './mixed.js';
import { stall } from './stall.js';
import { startup } from './startup.js';
import { transfer } from './transfer.js';
import { window } from './window.js';
import type { Workload } from './workload.js';

export const WORKLOADS = { burst, window, latency, cpu, transfer, mixed, stall, startup } as const satisfies Record<string, Workload>;

export type WorkloadName = keyof typeof WORKLOADS;

export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];

export function isWorkloadName(name: string): name is WorkloadName {
  return Object.hasOwn(WORKLOADS, name);
}
