/**
 * What piscina's benchmarks need of bench-node's `Suite` (they only call
 * `suite.add(name, { maxTime }, fn)`), and the loop that measures each case
 * added: bench-node's ops mode in miniature, calls of `fn` one after another
 * for `maxTime` seconds (× the scale), after a warm-up.
 */
export interface BenchCase {
  readonly name: string;
  /** bench-node's `maxTime`: how long to call the function, in seconds (1 in every piscina benchmark). */
  readonly maxTimeSeconds: number;
  readonly fn: () => unknown;
}

export interface CaseResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly meanUs: number;
  /** CPU time the whole process (its pool's threads included) spent per call: far steadier than ops/s on a loaded machine. */
  readonly cpuUsPerOp: number;
  readonly calls: number;
}

const DEFAULT_MAX_TIME_SECONDS = 1;
/** The warm-up's share of the measured time (and at least this many calls). */
const WARM_UP_SHARE = 0.2;
const WARM_UP_MIN_CALLS = 3;
/** A case whose calls are slow (startup) stops once the loop, clean-up included, took this many times its measured time. */
const WALL_LIMIT_FACTOR = 3;

/** Collects the cases a piscina benchmark module adds (bench-node's `suite.add(name, [options], fn)`). */
export class CaseCollector {
  readonly cases: BenchCase[] = [];

  add(name: string, optionsOrFn: { readonly maxTime?: number } | (() => unknown), maybeFn?: () => unknown): this {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    if (fn === undefined) throw new Error(`Expected a function for benchmark \`${name}\``);
    const maxTime = typeof optionsOrFn === 'function' ? undefined : optionsOrFn.maxTime;
    this.cases.push({ name, maxTimeSeconds: maxTime ?? DEFAULT_MAX_TIME_SECONDS, fn });
    return this;
  }
}

/**
 * Calls the case's function one call after another, as bench-node does,
 * and times each call alone: `afterCall` (the destruction of pools a call
 * created, which piscina's startup benchmark leaves open) runs untimed.
 */
export async function measureCase(benchCase: BenchCase, scale: number, afterCall: () => Promise<void>): Promise<CaseResult> {
  const measuredMs = benchCase.maxTimeSeconds * 1000 * scale;
  const warmUpStarted = performance.now();
  for (let calls = 0; calls < WARM_UP_MIN_CALLS || performance.now() - warmUpStarted < measuredMs * WARM_UP_SHARE; calls++) {
    await benchCase.fn();
    await afterCall();
  }
  let timedMs = 0;
  let cpuUs = 0;
  let calls = 0;
  const started = performance.now();
  while (timedMs < measuredMs && (calls === 0 || performance.now() - started < measuredMs * WALL_LIMIT_FACTOR)) {
    const cpuBefore = process.cpuUsage();
    const callStarted = performance.now();
    await benchCase.fn();
    timedMs += performance.now() - callStarted;
    const cpu = process.cpuUsage(cpuBefore);
    cpuUs += cpu.user + cpu.system;
    calls++;
    await afterCall();
  }
  return { name: benchCase.name, opsPerSecond: (calls * 1000) / timedMs, meanUs: (timedMs * 1000) / calls, cpuUsPerOp: cpuUs / calls, calls };
}
