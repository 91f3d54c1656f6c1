import assert from 'node:assert/strict';
// #region shown
// main.ts
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), {
  workerData: { modelName: 'vowels' },
});
await pool.ready; // every worker has run setup()
const vowels = await pool.run('score', 'spindle');
// #endregion

// Not shown: what the docs test checks.
assert.equal(vowels, 2);
await pool.close();
