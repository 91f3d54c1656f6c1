import type { PoolStats } from 'spindle';
import { count, ms } from './format.js';
import { LoopDelay } from './loop-delay.js';

/** Where the status line goes: a terminal (rewritten in place) or a log (plain lines now and then). */
export interface Output {
  readonly isTTY?: boolean;
  /** The terminal's width: a longer status line is cut to fit, or rewriting it in place would leave its wrapped part behind. */
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
}

const TTY_REFRESH_MS = 250;
const LOG_EVERY_MS = 2_000;

/**
 * The live status of a running scenario: its progress, the workers busy, the
 * queue, the pool's completed, failed and retried counts, and the main
 * thread's event-loop delay since the last refresh. On a terminal one line
 * is rewritten four times a second; elsewhere (CI logs) a plain line is
 * written every two seconds.
 */
export class StatusLine {
  readonly #pool: { stats(): PoolStats };
  readonly #output: Output;
  readonly #recentDelay = new LoopDelay();
  #timer: NodeJS.Timeout | undefined;
  #label = '';
  #progress: () => Progress = () => ({ done: 0, total: 0 });

  constructor(pool: { stats(): PoolStats }, output: Output) {
    this.#pool = pool;
    this.#output = output;
  }

  start(label: string, progress: () => Progress): void {
    this.stop();
    this.#label = label;
    this.#progress = progress;
    this.#recentDelay.reset();
    const tty = this.#output.isTTY === true;
    this.#timer = setInterval(() => {
      const line = this.render();
      this.#recentDelay.reset();
      if (tty) this.#output.write(`\r\x1b[2K${line.slice(0, Math.max(20, (this.#output.columns ?? 200) - 1))}`);
      else this.#output.write(`${line}\n`);
    }, tty ? TTY_REFRESH_MS : LOG_EVERY_MS);
    this.#timer.unref();
  }

  /** Stops refreshing and, on a terminal, clears the line. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#output.isTTY === true) this.#output.write('\r\x1b[2K');
  }

  /** The line as it would be shown now. */
  render(): string {
    const stats = this.#pool.stats();
    const { done, total } = this.#progress();
    const delay = this.#recentDelay.summary();
    return [
      `  … ${this.#label.padEnd(18)} ${bar(total === 0 ? 0 : done / total)} ${count(done).padStart(6)}/${count(total)}`,
      `busy ${String(stats.workers.busy)}/${String(stats.workers.total)}`,
      `queue ${count(stats.queued).padStart(5)}`,
      `completed ${count(stats.completed).padStart(6)}`,
      `failed ${count(stats.failed)}`,
      `retries ${count(stats.retried)}`,
      `loop delay p99 ${ms(delay.p99)} ms`,
    ].join('  ');
  }

  close(): void {
    this.stop();
    this.#recentDelay.stop();
  }
}

function bar(fraction: number): string {
  const width = 20;
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
