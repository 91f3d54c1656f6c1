import type { PoolStats } from 'spindle';
import type { MeasurementReport } from './service-measurements.js';

/** IPC messages between the battle test and a service it started as a child process. */
export type ServiceToParent =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'measurements'; readonly report: MeasurementReport; readonly poolStats: PoolStats | null };

export type ParentToService = { readonly type: 'reset-measurements' } | { readonly type: 'report-measurements' };
