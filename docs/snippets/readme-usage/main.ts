import assert from 'node:assert/strict';
// #region shown
// main.ts
import { Pool, transfer } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), {
  threads: 4,
  maxQueue: 1_000,
  timeout: 10_000,
});
await pool.ready; // every worker has loaded tasks.js

const n: number = await pool.run('fib', 30); // name, argument and result are type-checked
const pixels = new Uint8Array(1920 * 1080 * 4); // say, an image decoded from an upload
const inverted = await pool.run('invert', transfer(pixels), {
  priority: 10,
  signal: AbortSignal.timeout(5_000),
  onProgress: (step) => console.log(step),
});
console.log(n, inverted.length, pool.stats().runTime.p99);
await pool.close(); // finishes queued work, then ends the workers
// #endregion

// Not shown: what the docs test checks.
assert.equal(n, 832_040);
assert.equal(pixels.byteLength, 0, 'the pixels were moved to the worker, not copied');
assert.equal(inverted.length, 1920 * 1080 * 4);
assert.equal(inverted[0], 255);
