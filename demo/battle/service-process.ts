import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { PoolStats } from 'spindle';
import type { ParentToService, ServiceToParent } from '../service/control-messages.js';
import type { MeasurementReport } from '../service/service-measurements.js';

const serviceEntry = new URL('../service/main.js', import.meta.url);

/** The demo service in a child process of its own, driven over IPC. */
export class ServiceProcess {
  readonly url: string;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
  }

  /** Starts `entry` (the demo service, or the cluster of it) with `flags` on a free port and waits until it listens. */
  static async start(flags: readonly string[], entry: URL = serviceEntry): Promise<ServiceProcess> {
    // Node flags carry over, except the test runner's (when a test starts the service).
    const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--test'));
    const child = fork(entry, ['--port', '0', ...flags], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: ServiceToParent): void => {
        if (message.type !== 'listening') return;
        child.off('exit', onExit);
        resolve(message.url);
      };
      const onExit = (code: number | null): void => {
        reject(new Error(`The demo service exited with ${String(code)} before it listened`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    return new ServiceProcess(child, url);
  }

  resetMeasurements(): void {
    this.#send({ type: 'reset-measurements' });
  }

  async readMeasurements(): Promise<{ readonly report: MeasurementReport; readonly poolStats: PoolStats | null }> {
    const reply = new Promise<ServiceToParent & { type: 'measurements' }>((resolve) => {
      const onMessage = (message: ServiceToParent): void => {
        if (message.type !== 'measurements') return;
        this.#child.off('message', onMessage);
        resolve(message);
      };
      this.#child.on('message', onMessage);
    });
    this.#send({ type: 'report-measurements' });
    const message = await reply;
    return { report: message.report, poolStats: message.poolStats };
  }

  /** Asks the service to close (SIGTERM), and kills it if it has not exited in `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  #send(message: ParentToService): void {
    this.#child.send(message);
  }
}
