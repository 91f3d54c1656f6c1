import cluster, { type Worker } from 'node:cluster';
import { ProcessStartError } from '../errors.js';
import type { ProcessExit, ProcessExitReason, ProcessSnapshot, ProcessState } from '../events.js';
import { isClusterMessage, type Heartbeat, type PrimaryMessage, type ProcessMessage } from '../protocol.js';
import { watchOverWorker, workerGone } from '../../runtime/reaper.js';

/** How to fork a process: node:cluster's settings plus its environment. */
export interface ForkSettings {
  readonly file: string;
  readonly args: readonly string[];
  readonly execArgv: readonly string[] | undefined;
  readonly silent: boolean;
  readonly env: Readonly<Record<string, string>>;
  readonly startTimeout: number;
  readonly drainTimeout: number;
}

/** What the supervisor hears from a process. */
export interface ProcessHooks {
  onReady(process: ManagedProcess): void;
  onHeartbeat(process: ManagedProcess): void;
  onExit(process: ManagedProcess, exit: ProcessExit): void;
  /** A cluster message other than ready, heartbeat and draining (the metrics exchange). */
  onMessage(process: ManagedProcess, message: ProcessMessage): void;
}

const noop = (): void => undefined;

/**
 * One forked process and everything the primary knows of it: its state,
 * its last heartbeat, why it ended. It settles `ready` once (ready, or a
 * `ProcessStartError`) and `exited` once, and it alone kills it.
 */
export class ManagedProcess {
  readonly slot: number;
  readonly pid: number;
  readonly startedAt = Date.now();
  /** Processes the slot had started before this one. */
  readonly restarts: number;
  #lastExit: ProcessExit | null;
  readonly ready: Promise<void>;
  readonly exited: Promise<ProcessExit>;
  readonly #worker: Worker;
  readonly #file: string;
  readonly #forkedAt = performance.now();
  #state: ProcessState | 'exited' = 'starting';
  #readyAt: number | undefined;
  #lastHeartbeatAt: number | undefined;
  #heartbeat: Heartbeat | undefined;
  #exitReason: ProcessExitReason | undefined;
  #startTimer: NodeJS.Timeout | undefined;
  #killTimer: NodeJS.Timeout | undefined;

  private constructor(slot: number, worker: Worker, settings: ForkSettings, history: { readonly restarts: number; readonly lastExit: ProcessExit | null }, hooks: ProcessHooks) {
    this.slot = slot;
    this.#worker = worker;
    this.#file = settings.file;
    this.restarts = history.restarts;
    this.#lastExit = history.lastExit;
    this.pid = worker.process.pid ?? -1;
    // Killed if the supervisor dies while this process's event loop is stuck: it could not see its IPC channel close.
    if (this.pid > 0) watchOverWorker(this.pid);
    worker.on('error', noop); // an IPC write to a process that just died; its exit follows
    let resolveReady = noop;
    let rejectReady: (error: ProcessStartError) => void = noop;
    this.ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(noop); // the supervisor awaits it where it matters
    this.#startTimer = setTimeout(() => {
      rejectReady(new ProcessStartError(this.#file, 'timeout', `The worker module ${this.#file} did not report ready within startTimeout (${String(settings.startTimeout)} ms); it calls clusterWorker() once its server listens`));
      this.kill('start-timeout');
    }, settings.startTimeout);
    worker.on('message', (message: unknown) => {
      if (!isClusterMessage(message)) return;
      const received = message as ProcessMessage;
      if (received.type === 'ready') {
        if (this.#state !== 'starting') return;
        clearTimeout(this.#startTimer);
        this.#state = 'ready';
        this.#readyAt = performance.now();
        this.#lastHeartbeatAt = this.#readyAt;
        this.#heartbeat = received.heartbeat;
        resolveReady();
        hooks.onReady(this);
      } else if (received.type === 'heartbeat') {
        this.#lastHeartbeatAt = performance.now();
        this.#heartbeat = received.heartbeat;
        hooks.onHeartbeat(this);
      } else if (received.type === 'draining') {
        // It drains on its own (a SIGTERM sent to it alone): count it as draining, with the same limit.
        if (this.#state === 'ready') this.#startDrainTimer(settings.drainTimeout);
      } else {
        hooks.onMessage(this, received);
      }
    });
    this.exited = new Promise<ProcessExit>((resolve) => {
      worker.once('exit', (exitCode: number | null, signal: string | null) => {
        // The reaper's own exit is not waited for here: the supervisor's process keeps running until it has.
        if (this.pid > 0) void workerGone(this.pid);
        clearTimeout(this.#startTimer);
        clearTimeout(this.#killTimer);
        const wasReady = this.#readyAt !== undefined;
        const reason = this.#exitReason ?? (this.#state === 'draining' ? 'drained' : wasReady ? 'crashed' : 'start-failed');
        this.#state = 'exited';
        if (!wasReady) {
          const how = signal === null ? `with code ${String(exitCode)}` : `on ${signal}`;
          rejectReady(new ProcessStartError(this.#file, 'exited', `The worker module ${this.#file} exited ${how} before it reported ready (its own error, if any, is on its stderr)`, { exitCode, signal }));
        }
        const exit: ProcessExit = Object.freeze({ slot, pid: this.pid, exitCode, signal, reason, uptimeMs: Math.round(performance.now() - this.#forkedAt), at: Date.now() });
        resolve(exit);
        hooks.onExit(this, exit);
      });
    });
  }

  /** Forks the worker module into `slot`, with its environment. */
  static fork(slot: number, settings: ForkSettings, history: { readonly restarts: number; readonly lastExit: ProcessExit | null }, hooks: ProcessHooks): ManagedProcess {
    // node:cluster keeps one set of settings per process: set ours right before each fork.
    cluster.setupPrimary({
      exec: settings.file,
      args: [...settings.args],
      ...(settings.execArgv === undefined ? {} : { execArgv: [...settings.execArgv] }),
      silent: settings.silent,
      serialization: 'advanced',
    });
    const worker = cluster.fork(settings.env);
    if (settings.silent) {
      // Nobody reads them: drain the pipes so that a chatty process never blocks on a full one.
      worker.process.stdout?.resume();
      worker.process.stderr?.resume();
    }
    return new ManagedProcess(slot, worker, settings, history, hooks);
  }

  get state(): ProcessState | 'exited' {
    return this.#state;
  }

  /** performance.now() when it became ready, if it has. */
  get readyAt(): number | undefined {
    return this.#readyAt;
  }

  /** How the previous process of its slot ended (one that drains after a reload ends after this one started). */
  get lastExit(): ProcessExit | null {
    return this.#lastExit;
  }

  set lastExit(exit: ProcessExit | null) {
    this.#lastExit = exit;
  }

  /** Milliseconds since its last heartbeat (since ready before the first); undefined while starting. */
  silentForMs(now = performance.now()): number | undefined {
    return this.#lastHeartbeatAt === undefined ? undefined : now - this.#lastHeartbeatAt;
  }

  /** Counts the silence from now again (the watchdog's own timer ran late). */
  forgiveSilence(): void {
    if (this.#lastHeartbeatAt !== undefined) this.#lastHeartbeatAt = performance.now();
  }

  send(message: PrimaryMessage): void {
    if (this.#state === 'exited' || !this.#worker.isConnected()) return;
    this.#worker.send(message, undefined, undefined, noop);
  }

  /**
   * Asks the process to drain (a ready one finishes its requests and its pool,
   * then exits; a starting one gets SIGTERM) and kills it after `timeoutMs`.
   * Resolves when it has exited.
   */
  drain(timeoutMs: number): Promise<ProcessExit> {
    if (this.#state === 'exited' || this.#state === 'draining') return this.exited;
    const wasReady = this.#state === 'ready';
    this.#state = 'draining';
    clearTimeout(this.#startTimer);
    if (wasReady) this.send({ spindle: 'cluster', type: 'drain' });
    else this.#worker.process.kill('SIGTERM');
    this.#startDrainTimer(timeoutMs);
    return this.exited;
  }

  #startDrainTimer(timeoutMs: number): void {
    this.#state = 'draining';
    clearTimeout(this.#killTimer);
    this.#killTimer = setTimeout(() => {
      this.kill('drain-timeout');
    }, timeoutMs);
  }

  /** Kills it now (SIGKILL), recording why. */
  kill(reason: ProcessExitReason): void {
    if (this.#state === 'exited') return;
    this.#exitReason ??= reason;
    this.#worker.process.kill('SIGKILL');
  }

  snapshot(now = performance.now()): ProcessSnapshot {
    const heartbeat = this.#heartbeat;
    const silent = this.silentForMs(now);
    return Object.freeze({
      slot: this.slot,
      pid: this.pid,
      state: this.#state === 'exited' ? 'draining' : this.#state,
      startedAt: this.startedAt,
      uptimeMs: Math.round(now - this.#forkedAt),
      restarts: this.restarts,
      lastExit: this.#lastExit,
      eventLoopDelayMs: heartbeat?.eventLoopDelayMs ?? null,
      sinceHeartbeatMs: silent === undefined ? null : Math.round(silent),
      rssBytes: heartbeat?.rssBytes ?? null,
      heapUsedBytes: heartbeat?.heapUsedBytes ?? null,
      pool: heartbeat?.pool ?? null,
    });
  }
}
