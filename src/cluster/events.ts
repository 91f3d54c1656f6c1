import type { PoolStats } from '../index.js';
import type { ClusterPlan } from './plan.js';

/**
 * Why a process ended: `crashed` (it exited or was killed by a signal on its
 * own), `start-failed` (exited before it reported ready), `start-timeout`
 * (killed: not ready within `startTimeout`), `unresponsive` (killed by the
 * watchdog), `drained` (exited after a drain, as asked), `drain-timeout`
 * (killed: still draining after `drainTimeout`), `killed` (killed at once by
 * a second SIGTERM/SIGINT, or because the cluster failed to start).
 */
export type ProcessExitReason = 'crashed' | 'start-failed' | 'start-timeout' | 'unresponsive' | 'drained' | 'drain-timeout' | 'killed';

/** How a process ended. */
export interface ProcessExit {
  readonly slot: number;
  readonly pid: number;
  /** null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly reason: ProcessExitReason;
  /** From fork to exit. */
  readonly uptimeMs: number;
  /** `Date.now()` at the exit. */
  readonly at: number;
}

/**
 * A process's lifecycle: `starting` (forked, not yet ready), `ready`
 * (serving), `draining` (finishing its requests, then exiting).
 */
export type ProcessState = 'starting' | 'ready' | 'draining';

/** One live process of the fleet, from the primary's records and its last heartbeat. */
export interface ProcessSnapshot {
  /** 0 to processes - 1; a replacement takes over its predecessor's slot. */
  readonly slot: number;
  readonly pid: number;
  readonly state: ProcessState;
  /** `Date.now()` at the fork. */
  readonly startedAt: number;
  readonly uptimeMs: number;
  /** Processes started in this slot before this one (crashes, kills and rolling restarts). */
  readonly restarts: number;
  /** How the previous process of this slot ended; null for the first. */
  readonly lastExit: ProcessExit | null;
  /** The longest event-loop delay reported in the last heartbeat, ms; null before the first. */
  readonly eventLoopDelayMs: number | null;
  /** Milliseconds since the last heartbeat (or since ready, before the first); null while starting. */
  readonly sinceHeartbeatMs: number | null;
  readonly rssBytes: number | null;
  readonly heapUsedBytes: number | null;
  /** The process's pool, as of its last heartbeat; null before it, or without a registered pool. */
  readonly pool: PoolStats | null;
}

/**
 * The supervisor's state: `starting` until every process is first ready;
 * `running`; `degraded` while a slot backs off after repeated early deaths;
 * `reloading` during a rolling restart; `closing`, then `closed`.
 */
export type ClusterState = 'starting' | 'running' | 'degraded' | 'reloading' | 'closing' | 'closed';

/** An immutable view of the fleet: `cluster.snapshot()`. */
export interface ClusterSnapshot {
  readonly state: ClusterState;
  readonly plan: ClusterPlan;
  /** Live processes, by slot (a slot may have two during a reload, or none while it backs off). */
  readonly processes: readonly ProcessSnapshot[];
  /** Processes started to replace another, over the cluster's life. */
  readonly restarts: number;
  /** Processes the watchdog killed, over the cluster's life. */
  readonly watchdogKills: number;
}

/** The supervisor's events, a closed set: `cluster.on('processExit', (exit) => ...)`. */
export interface ClusterEvents {
  /** A process was forked (first start, replacement or rolling restart). */
  processStart: [info: { readonly slot: number; readonly pid: number }];
  /** A process reported ready: listening, its pool warm. */
  processReady: [info: { readonly slot: number; readonly pid: number; readonly startMs: number }];
  /** A process ended; `respawnInMs` is when its replacement is forked (null when none is). */
  processExit: [exit: ProcessExit & { readonly respawnInMs: number | null }];
  /** A heartbeat arrived: the process's snapshot, pool stats included. */
  heartbeat: [process: ProcessSnapshot];
  /** The watchdog killed a process whose event loop stayed blocked. */
  unresponsive: [info: { readonly slot: number; readonly pid: number; readonly silentForMs: number }];
  /** Processes die early again and again: a slot backs off before its next fork. */
  degraded: [info: { readonly slot: number; readonly earlyDeaths: number; readonly respawnInMs: number }];
  /** Every slot has a ready process again after `degraded`. */
  recovered: [];
  /** A rolling restart began. */
  reloadStart: [];
  /** A rolling restart ended: the pids it replaced and the pids that replaced them. */
  reloaded: [info: { readonly replaced: readonly number[]; readonly by: readonly number[] }];
  /** The supervisor moved to `state`. */
  stateChange: [info: { readonly state: ClusterState }];
}
