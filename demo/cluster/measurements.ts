import cluster, { type Worker } from 'node:cluster';
import type { PoolStats } from 'spindle';
import type { ServiceToParent } from '../service/control-messages.js';
import type { MeasurementReport } from '../service/service-measurements.js';

type Measurements = ServiceToParent & { readonly type: 'measurements' };

/**
 * The battle test's measurements of a whole fleet: each process's report
 * (asked over node:cluster's IPC) combined with the primary's own CPU. CPU
 * adds up; event-loop delay takes the worst process's figures; the pools'
 * counters add up (their percentiles are the worst process's).
 */
export class FleetMeasurements {
  #cpuAtReset = process.cpuUsage();
  #resetAt = performance.now();

  reset(): void {
    this.#cpuAtReset = process.cpuUsage();
    this.#resetAt = performance.now();
    for (const worker of liveWorkers()) worker.send({ type: 'reset-measurements' });
  }

  async report(): Promise<{ readonly report: MeasurementReport; readonly poolStats: PoolStats | null }> {
    const workers = liveWorkers();
    const replies = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<Measurements>((resolve) => {
            const onMessage = (message: ServiceToParent): void => {
              if (message.type !== 'measurements') return;
              worker.off('message', onMessage);
              resolve(message);
            };
            worker.on('message', onMessage);
            worker.send({ type: 'report-measurements' });
          }),
      ),
    );
    const elapsedMs = performance.now() - this.#resetAt;
    const cpu = process.cpuUsage(this.#cpuAtReset);
    const primaryCpuPercent = elapsedMs === 0 ? 0 : ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100;
    const reports = replies.map((reply) => reply.report);
    const worst = (pick: (report: MeasurementReport) => number): number => Math.max(0, ...reports.map(pick));
    return {
      report: {
        eventLoopDelay: {
          p50: worst((report) => report.eventLoopDelay.p50),
          p99: worst((report) => report.eventLoopDelay.p99),
          max: worst((report) => report.eventLoopDelay.max),
          samples: reports.reduce((sum, report) => sum + report.eventLoopDelay.samples, 0),
        },
        cpuPercent: Math.round((primaryCpuPercent + reports.reduce((sum, report) => sum + report.cpuPercent, 0)) * 10) / 10,
        elapsedMs: Math.round(elapsedMs),
      },
      poolStats: null,
    };
  }
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker?.isConnected() === true);
}
