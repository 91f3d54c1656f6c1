import assert from 'node:assert/strict';
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1 });
const job = { frames: Array.from({ length: 240 }, () => new Uint8Array(16)) };
const doc = 3;
const logged: unknown[] = [];
const logger: Partial<Record<string, (data: unknown) => void>> = { log: (data) => logged.push(data) };
const log = console.log;
const shown: unknown[] = [];
console.log = (value: unknown) => shown.push(value);

// #region encode
// in the caller
const summary = await pool.run('encode', job, {
  onProgress: (value) => console.log(value), // { done: 1, of: 240 }, { done: 2, of: 240 }, ...
});
// #endregion

// #region emit
// in the caller
await pool.run('render', doc, { onEvent: (event, data) => logger[event]?.(data) });
// #endregion

// Not shown: what the docs test checks.
console.log = log;
assert.deepEqual(summary, { frames: 240 });
assert.deepEqual(shown, Array.from({ length: 240 }, (_, index) => ({ done: index + 1, of: 240 })));
assert.deepEqual(logged.at(-1), { level: 'info', message: 'page 3 rendered' });
assert.equal(logged.length, 3);
await pool.close();
