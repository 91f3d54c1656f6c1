// Not shown in the docs: runs crunch() to its end, then cancels it and checks that the worker lives on.
import assert from 'node:assert/strict';
import { Pool } from 'spindle';

// A generous abortGrace, so that a loaded machine does not turn the stop between two rows into a kill.
const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1, abortGrace: 2_000 });
const rows = Array.from({ length: 1_000 }, () => ({ work: 10 }));
assert.equal(await pool.run('crunch', rows), 1_000);

const exits: unknown[] = [];
pool.on('workerExit', (info) => exits.push(info));
const endless = Array.from({ length: 200_000 }, () => ({ work: 50_000 })); // minutes of work, in short rows
await assert.rejects(pool.run('crunch', endless, { timeout: 50 }), { code: 'ERR_TASK_TIMEOUT' });
assert.equal(await pool.run('crunch', rows), 1_000, 'the same worker takes the next task');
assert.deepEqual(exits, [], 'a task that stops within abortGrace keeps its worker');
await pool.close();
