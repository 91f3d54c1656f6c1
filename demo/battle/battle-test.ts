import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { PoolStats } from 'spindle';
import type { MeasurementReport } from '../service/service-measurements.js';
import type { ExecutionMode } from '../service/task-runner.js';
import { driveLoad, type EndpointResult, type LoadProgress } from './drive-load.js';
import type { EndpointLoad } from './load-plan.js';
import { ServiceProcess } from './service-process.js';

export interface BattleSettings {
  readonly durationSeconds: number;
  /** Seconds of the same load before measuring (JIT, worker start), not counted. */
  readonly warmupSeconds: number;
  /** Extra flags for the pooled service, e.g. `['--threads', '2']`. */
  readonly pooledFlags: readonly string[];
  /** Flags of a third phase, the service under spindle/cluster (demo/cluster/main.js), e.g. `['--processes', '2']`; none when absent. */
  readonly clusterFlags?: readonly string[];
}

/** A phase: the service inline, pooled, or as a cluster of pooled processes. */
export type PhaseMode = ExecutionMode | 'cluster';

const clusterEntry = new URL('../cluster/main.js', import.meta.url);

export interface PhaseResult {
  readonly mode: PhaseMode;
  readonly endpoints: readonly EndpointResult[];
  readonly service: MeasurementReport;
  readonly poolStats: PoolStats | null;
  /** CPU of the load generator (this process) over the phase, in % of one core. */
  readonly loadGeneratorCpuPercent: number;
  /** The machine's 1-minute load average when the phase began: other work competing for the cores. */
  readonly machineLoadAverage: number;
}

export type PhaseStep = 'starting' | 'warming up' | 'settling' | 'measuring' | 'stopping';

/** Runs the same load against the inline service, then the pooled one (then the cluster, with `clusterFlags`), one after the other. */
export async function runBattleTest(
  plan: readonly EndpointLoad[],
  settings: BattleSettings,
  onProgress: (mode: PhaseMode, step: PhaseStep, progress?: LoadProgress) => void,
): Promise<readonly PhaseResult[]> {
  const phases: PhaseResult[] = [];
  const modes: PhaseMode[] = ['inline', 'pooled', ...(settings.clusterFlags === undefined ? [] : ['cluster' as const])];
  for (const mode of modes) {
    onProgress(mode, 'starting');
    const machineLoadAverage = Math.round((loadavg()[0] ?? 0) * 10) / 10;
    const service = mode === 'cluster' ? await ServiceProcess.start(settings.clusterFlags ?? [], clusterEntry) : await ServiceProcess.start(mode === 'inline' ? ['--inline'] : settings.pooledFlags);
    try {
      if (settings.warmupSeconds > 0) {
        onProgress(mode, 'warming up');
        await driveLoad(service.url, plan, settings.warmupSeconds);
        onProgress(mode, 'settling');
        await waitUntilSettled(service);
      }
      service.resetMeasurements();
      const cpuBefore = process.cpuUsage();
      const startedAt = performance.now();
      onProgress(mode, 'measuring', { elapsedSeconds: 0, answered: 0 });
      const endpoints = await driveLoad(service.url, plan, settings.durationSeconds, (progress) => {
        onProgress(mode, 'measuring', progress);
      });
      const cpu = process.cpuUsage(cpuBefore);
      const elapsedMs = performance.now() - startedAt;
      const { report, poolStats } = await service.readMeasurements();
      phases.push({
        mode,
        endpoints,
        service: report,
        poolStats,
        loadGeneratorCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
        machineLoadAverage,
      });
    } finally {
      onProgress(mode, 'stopping');
      await service.stop();
    }
  }
  return phases;
}

/**
 * When the warm-up's clients disconnect, the service still works through the
 * requests they left behind (inline: on its event loop; pooled: in the
 * queue). Measuring starts only once that is done: /health answers in under
 * 20 ms three times in a row and the pool has nothing queued or running.
 */
async function waitUntilSettled(service: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let quietInARow = 0;
  while (quietInARow < 3 && performance.now() < deadline) {
    const startedAt = performance.now();
    await (await fetch(`${service.url}/health`)).arrayBuffer();
    const quick = performance.now() - startedAt < 20;
    const { poolStats } = await service.readMeasurements();
    const poolIdle = poolStats === null || (poolStats.queued === 0 && poolStats.running === 0);
    quietInARow = quick && poolIdle ? quietInARow + 1 : 0;
    await delay(100);
  }
}
