import nodeCluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import { InvalidOptionError } from '../../index.js';
import { ClusterClosedError, ProcessStartError, ShutdownTimeoutError } from '../errors.js';
import type { ClusterEvents, ClusterSnapshot, ClusterState, ProcessExit } from '../events.js';
import { resolveClusterOptions, workerFileExists, type ClusterOptions, type ResolvedClusterOptions } from '../options.js';
import type { ClusterPlan } from '../plan.js';
import { ENVIRONMENT } from '../protocol.js';
import { FleetMetrics } from './fleet-metrics.js';
import { ManagedProcess, type ProcessHooks } from './managed-process.js';
import { MetricsServer } from './metrics-server.js';
import { respawnDelay } from './respawn-policy.js';
import { ReloadQueue, rollingRestart } from './rolling-restart.js';
import { installPrimarySignals } from './signals.js';
import { createSlot, liveProcessesOf, type Slot } from './slot.js';
import { Watchdog } from './watchdog.js';

const noop = (): void => undefined;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Starts the supervisor in the primary: plans the fleet (`planCluster()`),
 * prints the plan, sets `cluster.schedulingPolicy = cluster.SCHED_RR` and
 * forks the processes. `cluster.ready` resolves once every one of them has
 * reported ready.
 */
export function startCluster(options: ClusterOptions): Cluster {
  return new Cluster(options);
}

/** A supervised fleet of processes, each running the worker module with its own pool. */
export class Cluster extends EventEmitter<ClusterEvents> implements AsyncDisposable {
  readonly plan: ClusterPlan;
  /** Resolves when every process is first ready; rejects (and the cluster closes) when one fails to start. */
  readonly ready: Promise<void>;
  readonly #settings: ResolvedClusterOptions;
  readonly #slots: Slot[];
  readonly #metrics: FleetMetrics;
  readonly #watchdog: Watchdog | undefined;
  readonly #hooks: ProcessHooks;
  #state: ClusterState = 'starting';
  #restarts = 0;
  #watchdogKills = 0;
  #metricsServer: MetricsServer | undefined;
  #closing: Promise<void> | undefined;
  readonly #reloads = new ReloadQueue(async () => {
    if (this.#isClosing()) throw new ClusterClosedError('The cluster is closing: no rolling restart');
    await this.ready;
    await this.#runReload();
  });
  readonly #degradedSlots = new Set<number>();
  readonly #removeSignalHandlers: () => void;

  /** The same as `startCluster(options)`. */
  constructor(options: ClusterOptions) {
    super();
    if (!nodeCluster.isPrimary) throw new InvalidOptionError('Expected startCluster() to run in the primary process, but this process is a node:cluster worker');
    const settings = resolveClusterOptions(options);
    this.#settings = settings;
    this.plan = settings.plan;
    this.#slots = Array.from({ length: settings.plan.processes }, (_, index) => createSlot(index));
    this.#metrics = new FleetMetrics(() => this.#liveProcesses(), () => this.snapshot());
    this.#hooks = {
      onReady: (process) => {
        this.#onReady(process);
      },
      onHeartbeat: (process) => {
        if (this.listenerCount('heartbeat') > 0) this.emit('heartbeat', process.snapshot());
      },
      onExit: (process, exit) => {
        this.#onExit(process, exit);
      },
      onMessage: (process, message) => {
        this.#metrics.handle(process, message);
      },
    };
    const limit = settings.unresponsiveTimeout;
    this.#watchdog = limit === false ? undefined : new Watchdog(limit, () => this.#liveProcesses(), (process, silentForMs) => {
      this.#watchdogKills++;
      this.#log(`slot ${String(process.slot)}: pid ${String(process.pid)} sent no heartbeat for ${String(Math.round(silentForMs))} ms (unresponsiveTimeout ${String(limit)} ms); killing it`);
      this.emit('unresponsive', { slot: process.slot, pid: process.pid, silentForMs: Math.round(silentForMs) });
      process.kill('unresponsive');
    });
    this.#removeSignalHandlers = settings.signals
      ? installPrimarySignals({
          reload: () => this.reload(),
          close: () => this.close(),
          killAll: () => {
            this.#killAll();
          },
          log: (line) => {
            this.#log(line);
          },
        })
      : noop;
    this.ready = this.#start();
    this.ready.catch(noop); // reported in the log; a caller that awaits it sees the error
  }

  get state(): ClusterState {
    return this.#state;
  }

  /** `http://host:port` of `metricsPort` once it listens. */
  get metricsUrl(): string | undefined {
    return this.#metricsServer?.url;
  }

  /** The fleet now: every live process with its last heartbeat. */
  snapshot(): ClusterSnapshot {
    const now = performance.now();
    return Object.freeze({
      state: this.#state,
      plan: this.plan,
      processes: Object.freeze(this.#liveProcesses().map((process) => process.snapshot(now))),
      restarts: this.#restarts,
      watchdogKills: this.#watchdogKills,
    });
  }

  /** The Prometheus metrics of every process and of the supervisor, aggregated (needs prom-client). */
  metrics(): Promise<string> {
    return this.#metrics.collect();
  }

  /**
   * A rolling restart: for each slot in turn, forks a new process, waits until
   * it is ready, then drains the old one and waits for its exit. Rejects with
   * ERR_RELOAD_FAILED if a new process does not become ready (the old ones not
   * yet replaced keep serving). A reload asked for while one runs starts when
   * it ends; further asks until then share that one.
   */
  reload(): Promise<void> {
    if (this.#isClosing()) return Promise.reject(new ClusterClosedError('The cluster is closing: no rolling restart'));
    return this.#reloads.request();
  }

  /**
   * Drains every process (requests in flight answered, pools closed) and
   * waits for them to exit. A process still running after `timeout` is
   * killed, and the promise rejects with ERR_SHUTDOWN_TIMEOUT naming it.
   */
  close(options: { readonly timeout?: number } = {}): Promise<void> {
    this.#closing ??= this.#shutDown(options.timeout ?? this.#settings.drainTimeout);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #start(): Promise<void> {
    const startedAt = performance.now();
    const { file, plan } = this.#settings;
    this.#log(`plan: ${plan.summary}; worker ${file}`);
    try {
      if (!workerFileExists(file)) throw new ProcessStartError(file, 'not-found', `The worker module ${file} does not exist`);
      if (this.#settings.metricsPort !== undefined) {
        await import('prom-client'); // fails here, not at the first scrape, when it is not installed
        this.#metricsServer = await MetricsServer.listen(this.#settings.metricsPort, this.#settings.metricsHost, () => this.metrics(), () => this.snapshot());
        this.#log(`fleet metrics on ${this.#metricsServer.url}/metrics`);
      }
      // The policy is read once, at node:cluster's first fork in this process: set it before.
      nodeCluster.schedulingPolicy = nodeCluster.SCHED_RR;
      const first = this.#slots.map((slot) => (slot.current = this.#fork(slot)));
      await Promise.all(first.map((process) => process.ready));
      if (this.#closing !== undefined) throw new ClusterClosedError('The cluster was closed before it was ready');
    } catch (error) {
      const closedMeanwhile = this.#closing !== undefined;
      this.#log(`start failed: ${messageOf(error)}`);
      this.#killAll();
      // The fleet is being killed: a later close() resolves once it is gone, and reports no timeout.
      this.#closing ??= this.#shutDown(this.#settings.drainTimeout, false);
      await this.#closing;
      throw closedMeanwhile ? new ClusterClosedError('The cluster was closed before it was ready') : error;
    }
    this.#setState(this.#degradedSlots.size > 0 ? 'degraded' : 'running');
    this.#watchdog?.start();
    this.#log(`ready: ${String(this.#slots.length)} processes (pids ${this.#liveProcesses().map((process) => process.pid).join(', ')}) in ${String(Math.round(performance.now() - startedAt))} ms`);
  }

  #fork(slot: Slot): ManagedProcess {
    const { plan, heartbeatInterval } = this.#settings;
    const env = { ...this.#settings.env, SPINDLE_THREADS: String(plan.threadsPerProcess), [ENVIRONMENT.slot]: String(slot.index), [ENVIRONMENT.heartbeatInterval]: String(heartbeatInterval) };
    const process = ManagedProcess.fork(slot.index, { ...this.#settings, env }, { restarts: slot.started, lastExit: slot.lastExit }, this.#hooks);
    if (slot.started > 0) this.#restarts++;
    slot.started++;
    this.emit('processStart', { slot: slot.index, pid: process.pid });
    return process;
  }

  #onReady(process: ManagedProcess): void {
    const slot = this.#slots[process.slot];
    this.emit('processReady', { slot: process.slot, pid: process.pid, startMs: Date.now() - process.startedAt });
    if (slot === undefined || slot.current !== process || !this.#degradedSlots.delete(slot.index) || this.#degradedSlots.size > 0) return;
    this.#log(`recovered: every slot has a ready process again`);
    if (this.#state === 'degraded') this.#setState('running');
    this.emit('recovered');
  }

  #onExit(process: ManagedProcess, exit: ProcessExit): void {
    const slot = this.#slots[process.slot];
    if (slot === undefined) return;
    slot.lastExit = exit;
    slot.retiring.delete(process);
    if (slot.current !== undefined && slot.current !== process && slot.current.startedAt <= exit.at) slot.current.lastExit = exit;
    let respawnInMs: number | null = null;
    if (slot.candidate === process) {
      slot.candidate = undefined; // the reload that forked it reports the failure
    } else if (slot.current === process) {
      slot.current = undefined;
      const failedFirstStart = this.#state === 'starting' && process.readyAt === undefined;
      if (this.#closing === undefined && !failedFirstStart && slot.candidate === undefined) respawnInMs = this.#scheduleRespawn(slot, process);
    }
    if (exit.reason !== 'drained') {
      const how = exit.signal === null ? `code ${String(exit.exitCode)}` : exit.signal;
      this.#log(`slot ${String(slot.index)}: pid ${String(exit.pid)} exited (${how}, ${exit.reason}) after ${String(exit.uptimeMs)} ms${respawnInMs === null ? '' : respawnInMs === 0 ? '; replacing it now' : `; replacing it in ${String(respawnInMs)} ms`}`);
    }
    this.emit('processExit', { ...exit, respawnInMs });
  }

  /** Forks the slot's replacement, at once or after the back-off. Returns the delay. */
  #scheduleRespawn(slot: Slot, process: ManagedProcess): number {
    const readyAt = process.readyAt;
    const early = readyAt === undefined || performance.now() - readyAt < this.#settings.minUptime;
    slot.earlyDeaths = early ? slot.earlyDeaths + 1 : 0;
    const delay = respawnDelay(slot.earlyDeaths, this.#settings.respawnDelay, this.#settings.maxRespawnDelay);
    if (delay > 0 && !this.#degradedSlots.has(slot.index)) {
      this.#degradedSlots.add(slot.index);
      this.#log(`degraded: slot ${String(slot.index)} died early ${String(slot.earlyDeaths)} times in a row; backing off`);
      if (this.#state === 'running') this.#setState('degraded');
      this.emit('degraded', { slot: slot.index, earlyDeaths: slot.earlyDeaths, respawnInMs: delay });
    }
    const respawn = (): void => {
      slot.respawnTimer = undefined;
      if (this.#closing !== undefined || slot.current !== undefined) return;
      slot.current = this.#fork(slot);
    };
    if (delay === 0) respawn();
    else slot.respawnTimer = setTimeout(respawn, delay);
    return delay;
  }

  async #runReload(): Promise<void> {
    const startedAt = performance.now();
    this.#setState('reloading');
    this.emit('reloadStart');
    this.#log(`rolling restart of ${String(this.#slots.length)} processes`);
    let result: { readonly replaced: readonly number[]; readonly by: readonly number[] };
    try {
      result = await rollingRestart({
        slots: this.#slots,
        drainTimeout: this.#settings.drainTimeout,
        fork: (slot) => this.#fork(slot),
        respawn: (slot, failed) => {
          this.#scheduleRespawn(slot, failed);
        },
        recovered: (slot) => {
          if (this.#degradedSlots.delete(slot.index) && this.#degradedSlots.size === 0) this.emit('recovered');
        },
        isClosing: () => this.#isClosing(),
      });
    } catch (error) {
      this.#log(messageOf(error));
      throw error;
    } finally {
      if (!this.#isClosing()) this.#setState(this.#degradedSlots.size > 0 ? 'degraded' : 'running');
    }
    this.#log(`rolling restart done in ${String(Math.round(performance.now() - startedAt))} ms: pids ${result.replaced.join(', ')} replaced by ${result.by.join(', ')}`);
    this.emit('reloaded', result);
  }

  async #shutDown(timeoutMs: number, reportKills = true): Promise<void> {
    this.#setState('closing');
    this.#watchdog?.stop();
    for (const slot of this.#slots) clearTimeout(slot.respawnTimer);
    const live = this.#liveProcesses();
    if (live.length > 0) this.#log(`draining ${String(live.length)} processes (drainTimeout ${String(timeoutMs)} ms)`);
    const exits = await Promise.all(live.map((process) => process.drain(timeoutMs)));
    await this.#metricsServer?.close();
    this.#removeSignalHandlers();
    this.#setState('closed');
    const killed = exits.filter((exit) => exit.reason === 'drain-timeout' || exit.reason === 'killed');
    if (killed.length > 0 && reportKills) {
      const names = killed.map((exit) => `pid ${String(exit.pid)} (slot ${String(exit.slot)}, ${exit.reason})`).join(', ');
      throw new ShutdownTimeoutError(`${String(killed.length)} of ${String(exits.length)} processes did not exit within ${String(timeoutMs)} ms and were killed: ${names}`, killed.map((exit) => exit.pid));
    }
  }

  /** A method, not a field read: TypeScript would keep a field's narrowing across an await. */
  #isClosing(): boolean {
    return this.#closing !== undefined;
  }

  #killAll(): void {
    for (const process of this.#liveProcesses()) process.kill('killed');
  }

  #liveProcesses(): ManagedProcess[] {
    return this.#slots.flatMap(liveProcessesOf);
  }

  #setState(state: ClusterState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('stateChange', { state });
  }

  #log(line: string): void {
    this.#settings.log(line);
  }
}
