/**
 * Expected run time per task name, used to decide how many tasks a worker
 * may hold at once. The estimate jumps up at once on a slow sample and decays
 * slowly, so one long task stops further stacking immediately, while a name
 * that is always fast converges to its true cost.
 */
export class RunTimeEstimates {
  readonly #byName = new Map<string, number>();
  readonly #unknownUs: number;

  /** `unknownUs`: what a name never seen costs; high, so unmeasured tasks are not stacked. */
  constructor(unknownUs: number) {
    this.#unknownUs = unknownUs;
  }

  expectedUs(name: string): number {
    return this.#byName.get(name) ?? this.#unknownUs;
  }

  record(name: string, runTimeUs: number): void {
    const previous = this.#byName.get(name);
    const sample = Math.max(runTimeUs, 1);
    this.#byName.set(name, previous === undefined || sample > previous ? sample : previous * 0.9 + sample * 0.1);
  }
}
