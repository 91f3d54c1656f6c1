import type { ManagedProcess } from './managed-process.js';

/**
 * Kills a ready process that has sent no heartbeat for `limitMs`: its event
 * loop is blocked (an endless loop, a synchronous call that never returns),
 * which no exit code reveals. Checks ten times per limit, at most once every
 * 50 ms. When the watchdog's own timer fires late (the primary itself was
 * blocked, or the machine suspended), the heartbeats waiting in the
 * primary's queue have not been read yet: it counts every silence from that
 * moment again instead of killing processes that did beat.
 */
export class Watchdog {
  readonly #limitMs: number;
  readonly #periodMs: number;
  readonly #processes: () => Iterable<ManagedProcess>;
  readonly #onSilent: (process: ManagedProcess, silentForMs: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #lastCheckAt = performance.now();

  constructor(limitMs: number, processes: () => Iterable<ManagedProcess>, onSilent: (process: ManagedProcess, silentForMs: number) => void) {
    this.#limitMs = limitMs;
    this.#periodMs = Math.min(1_000, Math.max(50, limitMs / 10));
    this.#processes = processes;
    this.#onSilent = onSilent;
  }

  start(): void {
    this.#lastCheckAt = performance.now();
    this.#timer ??= setInterval(() => {
      this.#check();
    }, this.#periodMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const now = performance.now();
    const late = now - this.#lastCheckAt - this.#periodMs;
    this.#lastCheckAt = now;
    const processes = [...this.#processes()].filter((process) => process.state === 'ready');
    if (late > Math.max(1_000, this.#periodMs)) {
      for (const process of processes) process.forgiveSilence();
      return;
    }
    for (const process of processes) {
      const silent = process.silentForMs(now);
      if (silent !== undefined && silent > this.#limitMs) this.#onSilent(process, silent);
    }
  }
}
