import assert from 'node:assert/strict';
// #region shown
import { Pool } from 'spindle';
const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'));
// #endregion

// Not shown: what the docs test checks.
const steps: unknown[] = [];
const resized = await pool.run('resize', { image: new Uint8Array(100), width: 10 }, { onProgress: (step) => steps.push(step) });
assert.equal(resized.length, 10);
assert.deepEqual(steps, ['resizing to 10 px']);
await assert.rejects(pool.run('fetchAndParse', 'not a url'), TypeError);
await pool.close();
