import assert from 'node:assert/strict';
// #region shown
// main.ts
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), {
  threads: 2,
  asyncTasksPerWorker: 4, // up to 4 tasks awaiting at once in each worker
});
const keys = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((password) => pool.run('derive', password)));
// #endregion

// Not shown: what the docs test checks.
assert.equal(keys.length, 8);
assert.ok(keys.every((key) => /^[0-9a-f]{64}$/.test(key)));
assert.equal(new Set(keys).size, 8);
await pool.close();
