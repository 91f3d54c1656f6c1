import assert from 'node:assert/strict';
import { Pool } from 'spindle';
import { SharedCounter } from 'spindle/shared';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 2 });

// #region shown
// in the caller: a million values, 16 tasks, 64 bins; nothing is copied into or out of the tasks
const length = 1_000_000;
const values = new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT);
new Float64Array(values).forEach((_, index, array) => (array[index] = Math.random()));
const bins = new SharedArrayBuffer(64 * Int32Array.BYTES_PER_ELEMENT);
const counted = new SharedCounter(); // how many values are counted so far, readable at any time

const slice = Math.ceil(length / 16);
await Promise.all(
  Array.from({ length: 16 }, (_, task) =>
    pool.run('histogram', { values, bins, from: task * slice, to: Math.min(length, (task + 1) * slice), counted: counted.toHandle() }),
  ),
);
const counts = new Int32Array(bins); // every task has finished: plain reads see all their adds
// #endregion

// Not shown: what the docs test checks.
assert.equal(counted.value, length);
assert.equal(counts.reduce((sum, count) => sum + count, 0), length);
const expected = new Int32Array(64);
for (const value of new Float64Array(values)) {
  const bin = Math.min(Math.floor(value * 64), 63);
  expected[bin] = (expected[bin] ?? 0) + 1;
}
assert.deepEqual(counts, expected);
await pool.close();
