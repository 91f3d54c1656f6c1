import { spindleAdvantage, type Medians } from './summary.js';

export interface TargetCheck {
  readonly target: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
  readonly measured: string;
}

/** The raw worker_threads figures the latency and transfer targets are measured against. */
export interface RawFloor {
  readonly pingPongP50Us: number | undefined;
  readonly transferRoundTripMs: number | undefined;
  readonly source: string;
}

const PEERS = ['piscina', 'tinypool', 'workerpool', 'poolifier'];

/** The targets of issue 4 (and the head-of-line target of issue 11), checked against the medians of this run. */
export function checkTargets(medians: Medians, raw: RawFloor): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const atLeast = (target: string, value: number, goal: number, measured = `${value.toFixed(2)}×`): void => {
    checks.push({ target, met: Number.isNaN(value) ? undefined : value >= goal, measured: Number.isNaN(value) ? 'not measured' : measured });
  };
  for (const workload of ['burst', 'window'] as const) {
    atLeast(`${workload} throughput ≥ 5× poolifier`, spindleAdvantage(medians, workload, 'tasksPerSecond', 'poolifier'), 5);
    atLeast(`${workload} throughput ≥ 10× piscina`, spindleAdvantage(medians, workload, 'tasksPerSecond', 'piscina'), 10);
  }

  const latency = medians.latency ?? {};
  const spindleP50 = latency.spindle?.p50Us ?? Number.NaN;
  const peerP50s = PEERS.map((pool) => latency[pool]?.p50Us).filter((value): value is number => value !== undefined);
  const bestPeerP50 = peerP50s.length === 0 ? Number.NaN : Math.min(...peerP50s);
  atLeast('latency p50 ≤ best peer', bestPeerP50 / spindleP50, 1, `${spindleP50.toFixed(1)} µs vs ${bestPeerP50.toFixed(1)} µs`);
  const floorP50 = raw.pingPongP50Us ?? Number.NaN;
  atLeast(`latency p50 ≤ 1.25× raw ping-pong`, (1.25 * floorP50) / spindleP50, 1, `${(spindleP50 / floorP50).toFixed(2)}× (${spindleP50.toFixed(1)} vs ${floorP50.toFixed(1)} µs)`);

  const efficiency = medians.cpu?.spindle?.efficiency ?? Number.NaN;
  atLeast('cpu efficiency ≥ 0.95', efficiency, 0.95, efficiency.toFixed(3));

  const transferMs = medians.transfer?.spindle?.roundTripMs ?? Number.NaN;
  const floorTransferMs = raw.transferRoundTripMs ?? Number.NaN;
  atLeast('transfer ≤ 1.5× raw transfer', (1.5 * floorTransferMs) / transferMs, 1, `${(transferMs / floorTransferMs).toFixed(2)}× (${transferMs.toFixed(3)} vs ${floorTransferMs.toFixed(3)} ms)`);

  const mixed = medians.mixed ?? {};
  const spindleShortP99 = mixed.spindle?.shortP99Ms ?? Number.NaN;
  const peerShortP99s = PEERS.map((pool) => mixed[pool]?.shortP99Ms).filter((value): value is number => value !== undefined);
  const bestPeerShortP99 = peerShortP99s.length === 0 ? Number.NaN : Math.min(...peerShortP99s);
  atLeast('mixed short-task p99 ≥ 2× better than best peer', bestPeerShortP99 / spindleShortP99, 2, `${(bestPeerShortP99 / spindleShortP99).toFixed(2)}× (${spindleShortP99.toFixed(2)} vs ${bestPeerShortP99.toFixed(2)} ms)`);

  // Batching must not leave quick calls waiting behind one that overran: within the best peer's p99, with a 2 ms margin for the timer that notices.
  const stall = medians.stall ?? {};
  const spindleQuickP99 = stall.spindle?.quickP99Ms ?? Number.NaN;
  const peerQuickP99s = PEERS.map((pool) => stall[pool]?.quickP99Ms).filter((value): value is number => value !== undefined);
  const bestPeerQuickP99 = peerQuickP99s.length === 0 ? Number.NaN : Math.min(...peerQuickP99s);
  atLeast(
    'stall quick-call p99 ≤ best peer + 2 ms',
    (bestPeerQuickP99 + 2) / spindleQuickP99,
    1,
    `${spindleQuickP99.toFixed(2)} vs ${bestPeerQuickP99.toFixed(2)} ms`,
  );
  return checks;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks
    .map(({ target, met, measured }) => `${met === undefined ? '–' : met ? '✔' : '✘'} ${met === undefined ? 'not measured' : met ? 'met' : 'not met'}  ${target}: ${measured}`)
    .join('\n');
}
