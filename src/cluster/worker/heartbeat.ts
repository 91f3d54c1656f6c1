import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { PoolStats } from '../../index.js';
import type { Heartbeat } from '../protocol.js';

/**
 * Measures this process for its heartbeats: the longest event-loop delay
 * since the previous beat (`monitorEventLoopDelay`, and how late the beat's
 * own timer fired), memory, and the pool's stats. The primary's watchdog
 * counts the time between beats; a blocked loop sends none.
 */
export class HeartbeatMonitor {
  readonly #delays = monitorEventLoopDelay({ resolution: 20 });
  readonly #poolStats: (() => PoolStats) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(poolStats: (() => PoolStats) | undefined) {
    this.#poolStats = poolStats;
    this.#delays.enable();
  }

  /** Calls `send` every `intervalMs` with a fresh heartbeat. */
  start(intervalMs: number, send: (heartbeat: Heartbeat) => void): void {
    let expectedAt = performance.now() + intervalMs;
    this.#timer = setInterval(() => {
      const now = performance.now();
      const lateMs = Math.max(0, now - expectedAt);
      expectedAt = now + intervalMs;
      send(this.measure(lateMs));
    }, intervalMs);
    this.#timer.unref();
  }

  /** The figures since the previous call; `lateMs` is how late the caller's timer fired. */
  measure(lateMs = 0): Heartbeat {
    const histogramMaxMs = this.#delays.count === 0 ? 0 : this.#delays.max / 1e6;
    this.#delays.reset();
    const memory = process.memoryUsage();
    const pool = this.#readPool();
    return { eventLoopDelayMs: Math.round(Math.max(histogramMaxMs, lateMs) * 10) / 10, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, pool };
  }

  #readPool(): PoolStats | null {
    try {
      return this.#poolStats?.() ?? null;
    } catch {
      return null; // a pool being closed may refuse; the next beat tells
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#delays.disable();
  }
}
