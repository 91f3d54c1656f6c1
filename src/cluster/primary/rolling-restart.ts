import { ClusterClosedError, ReloadError } from '../errors.js';
import type { ManagedProcess } from './managed-process.js';
import type { Slot } from './slot.js';

const noop = (): void => undefined;

/**
 * One rolling restart at a time: one asked for while another runs starts
 * when that one ends (the files may have changed again), and further asks
 * until then share it.
 */
export class ReloadQueue {
  readonly #run: () => Promise<void>;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(run: () => Promise<void>) {
    this.#run = run;
  }

  request(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return this.#start();
    this.#queued = this.#running.catch(noop).then(() => {
      this.#queued = undefined;
      return this.#start();
    });
    return this.#queued;
  }

  #start(): Promise<void> {
    const running = this.#run().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}

/** What a rolling restart needs from the supervisor. */
export interface RestartHost {
  readonly slots: readonly Slot[];
  readonly drainTimeout: number;
  fork(slot: Slot): ManagedProcess;
  /** Forks the slot's replacement, with the back-off, when nothing serves it any more. */
  respawn(slot: Slot, failed: ManagedProcess): void;
  /** The slot has a ready process again (it may have been backing off). */
  recovered(slot: Slot): void;
  isClosing(): boolean;
}

/**
 * Replaces the processes one slot at a time: forks the new one, waits until
 * it is ready (listening, pool warm), makes it the slot's, then drains the
 * old one and waits for its exit before the next slot. Never less than the
 * full fleet serves. A new process that does not become ready stops it with
 * ERR_RELOAD_FAILED; the old processes not yet replaced keep serving.
 * Resolves with the pids replaced, and those that replaced them.
 */
export async function rollingRestart(host: RestartHost): Promise<{ readonly replaced: readonly number[]; readonly by: readonly number[] }> {
  const replaced: number[] = [];
  const by: number[] = [];
  for (const slot of host.slots) {
    if (host.isClosing()) throw new ClusterClosedError('The cluster closed during the rolling restart');
    const fresh = host.fork(slot);
    slot.candidate = fresh;
    try {
      await fresh.ready;
    } catch (error) {
      if (slot.candidate === fresh) slot.candidate = undefined;
      if (slot.current === undefined && slot.respawnTimer === undefined && !host.isClosing()) host.respawn(slot, fresh);
      throw new ReloadError(`The rolling restart stopped at slot ${String(slot.index)}: ${error instanceof Error ? error.message : String(error)}; the processes not yet replaced keep serving`, error);
    }
    slot.candidate = undefined;
    const old = slot.current;
    slot.current = fresh;
    clearTimeout(slot.respawnTimer);
    slot.respawnTimer = undefined;
    host.recovered(slot);
    if (old !== undefined && old.state !== 'exited') {
      replaced.push(old.pid);
      by.push(fresh.pid);
      slot.retiring.add(old);
      await old.drain(host.drainTimeout);
    }
  }
  return { replaced: Object.freeze(replaced), by: Object.freeze(by) };
}
