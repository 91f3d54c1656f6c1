import type { ProcessExit } from '../events.js';
import type { ManagedProcess } from './managed-process.js';

/**
 * One place in the fleet, 0 to processes - 1: the process serving it, and
 * those coming and going during a reload. A replacement takes its
 * predecessor's slot, so the slot keeps the history (starts, last exit,
 * early deaths in a row) that the back-off and the snapshot read.
 */
export interface Slot {
  readonly index: number;
  /** The process serving the slot (or starting to); none while the slot backs off. */
  current: ManagedProcess | undefined;
  /** A reload's new process, until it is ready. */
  candidate: ManagedProcess | undefined;
  /** Old processes draining after a reload replaced them. */
  readonly retiring: Set<ManagedProcess>;
  /** Processes started in this slot so far. */
  started: number;
  lastExit: ProcessExit | null;
  earlyDeaths: number;
  respawnTimer: NodeJS.Timeout | undefined;
}

export function createSlot(index: number): Slot {
  return { index, current: undefined, candidate: undefined, retiring: new Set(), started: 0, lastExit: null, earlyDeaths: 0, respawnTimer: undefined };
}

/** The slot's processes that have not exited: current, candidate, retiring. */
export function liveProcessesOf(slot: Slot): ManagedProcess[] {
  return [slot.current, slot.candidate, ...slot.retiring].filter((process): process is ManagedProcess => process !== undefined && process.state !== 'exited');
}
