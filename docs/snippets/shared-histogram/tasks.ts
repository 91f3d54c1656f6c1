import { SharedCounter, type SharedCounterHandle } from 'spindle/shared';

export interface HistogramJob {
  readonly values: SharedArrayBuffer; // Float64Array data in [0, 1), shared by every task
  readonly bins: SharedArrayBuffer; // Int32Array counts, shared by every task
  readonly from: number;
  readonly to: number;
  readonly counted: SharedCounterHandle<'int32'>;
}

// #region task
// in the worker: count one slice of the data, then add the counts into the shared bins
export function histogram({ values, bins, from, to, counted }: HistogramJob): void {
  const data = new Float64Array(values, from * 8, to - from);
  const shared = new Int32Array(bins);
  const local = new Int32Array(shared.length); // plain writes: nobody else sees this array
  for (const value of data) {
    const bin = Math.min(Math.floor(value * local.length), local.length - 1);
    local[bin] = (local[bin] ?? 0) + 1;
  }
  for (let bin = 0; bin < local.length; bin++) Atomics.add(shared, bin, local[bin] ?? 0); // one atomic add per bin, not per value
  SharedCounter.from(counted).add(data.length);
}
// #endregion
