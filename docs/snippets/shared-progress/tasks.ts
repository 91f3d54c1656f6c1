import { SharedCell, type SharedCellHandle } from 'spindle/shared';

// #region schema
export const PROGRESS = { done: 'uint32', total: 'uint32', stage: { utf8: 16 } } as const;
// #endregion

// #region task
// in the worker: one long task over shared data, reporting as it goes
export function checksum(job: { data: SharedArrayBuffer; progress: SharedCellHandle<typeof PROGRESS> }): number {
  const progress = SharedCell.from(job.progress); // the same memory as the caller's cell
  const bytes = new Uint8Array(job.data); // shared, not copied
  const step = 1024 * 1024;
  let sum = 0;
  for (let start = 0; start < bytes.length; start += step) {
    const end = Math.min(start + step, bytes.length);
    for (let index = start; index < end; index++) sum = (sum * 31 + (bytes[index] ?? 0)) >>> 0;
    progress.write({ done: end, total: bytes.length, stage: end === bytes.length ? 'done' : 'summing' });
  }
  return sum;
}
// #endregion
