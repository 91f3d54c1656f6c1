// Not shown in the docs: runs crunch() to its end, then cancels it and checks that the worker lives on.
import assert from 'node:assert/strict';
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1 });
const rows = Array.from({ length: 1_000 }, () => ({ work: 10 }));
assert.equal(await pool.run('crunch', rows), 1_000);

const exits: unknown[] = [];
pool.on('workerExit', (info) => exits.push(info));
const endless = Array.from({ length: 100_000 }, () => ({ work: 1_000_000 })); // minutes of work, a few ms a row
await assert.rejects(pool.run('crunch', endless, { timeout: 50 }), { code: 'ERR_TASK_TIMEOUT' });
assert.equal(await pool.run('crunch', rows), 1_000, 'the same worker takes the next task');
assert.deepEqual(exits, [], 'a task that stops within abortGrace keeps its worker');
await pool.close();
