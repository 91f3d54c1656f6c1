import type { TaskContext } from 'spindle/worker';

/** A row whose score takes `work` steps of arithmetic. */
interface Row {
  readonly work: number;
}
const score = (row: Row): number => {
  let sum = 0;
  for (let step = 0; step < row.work; step++) sum += Math.sqrt(step % 7);
  return sum > 0 ? 1 : 0;
};

// #region shown
export function crunch(rows: Row[], context: TaskContext) {
  let total = 0;
  for (const row of rows) {
    context.throwIfAborted(); // cheap enough for a hot loop
    total += score(row);
  }
  return total;
}
// #endregion
