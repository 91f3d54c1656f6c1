import assert from 'node:assert/strict';
// #region shown
// main.ts
import { Pool, WorkerExitedError } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { runtime: 'process', threads: 2 });

const crashed = await pool.run('crash').catch((error: unknown) => error);
if (crashed instanceof WorkerExitedError) console.log(crashed.code, crashed.signal); // ERR_WORKER_EXITED SIGABRT
console.log(await pool.run('resize', 640)); // 320: this process and the pool serve on
// #endregion

// Not shown: what the docs test checks.
assert.ok(crashed instanceof WorkerExitedError);
assert.equal(crashed.code, 'ERR_WORKER_EXITED');
assert.equal(crashed.signal, 'SIGABRT');
assert.equal(await pool.run('resize', 640), 320);
await pool.close();
