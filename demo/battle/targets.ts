import type { PhaseResult } from './battle-test.js';

export interface TargetCheck {
  readonly met: boolean;
  readonly description: string;
}

export const HEALTH_P99_IMPROVEMENT_TARGET = 20;
export const POOLED_EVENT_LOOP_DELAY_P99_TARGET_MS = 20;

/** The two targets of the battle test, judged on one run's inline and pooled phases. */
export function checkTargets(inline: PhaseResult, pooled: PhaseResult): readonly TargetCheck[] {
  const healthP99 = (phase: PhaseResult): number => phase.endpoints.find((endpoint) => endpoint.label === 'GET /health')?.latency.p99 ?? Number.NaN;
  const inlineHealth = healthP99(inline);
  const pooledHealth = healthP99(pooled);
  const improvement = inlineHealth / Math.max(pooledHealth, 0.001);
  const pooledDelay = pooled.service.eventLoopDelay.p99;
  return [
    {
      met: improvement >= HEALTH_P99_IMPROVEMENT_TARGET,
      description: `/health p99 under load: ${format(inlineHealth)} ms inline vs ${format(pooledHealth)} ms pooled = ${improvement.toFixed(1)}× better (target ≥ ${String(HEALTH_P99_IMPROVEMENT_TARGET)}×)`,
    },
    {
      met: pooledDelay < POOLED_EVENT_LOOP_DELAY_P99_TARGET_MS,
      description: `event-loop delay p99, pooled: ${format(pooledDelay)} ms (target < ${String(POOLED_EVENT_LOOP_DELAY_P99_TARGET_MS)} ms; inline: ${format(inline.service.eventLoopDelay.p99)} ms)`,
    },
  ];
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
