import assert from 'node:assert/strict';
import { Pool } from 'spindle';
import { SharedCell } from 'spindle/shared';
import { PROGRESS } from './tasks.js';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1 });
const data = new SharedArrayBuffer(16 * 1024 * 1024);
new Uint8Array(data).fill(7);
const shown: string[] = [];
const log = (line: string): void => {
  shown.push(line);
};

// #region shown
// in the caller: the pool side reads the task's progress live, without a message per step
const progress = new SharedCell(PROGRESS, { done: 0, total: 0, stage: 'queued' });
const timer = setInterval(() => {
  const { done, total, stage } = progress.read(); // always one whole write, never half of one
  log(`${stage} ${String(Math.round((100 * done) / Math.max(total, 1)))} %`);
}, 50);
try {
  const sum = await pool.run('checksum', { data, progress: progress.toHandle() });
  log(`checksum ${String(sum)}: ${progress.read().stage}`);
} finally {
  clearInterval(timer);
}
// #endregion

// #region wait
// or wait for each change instead of polling (a timeout ends the wait if the task stops writing)
const { version } = progress.snapshot();
const next = pool.run('checksum', { data, progress: progress.toHandle() });
const changed = await progress.waitForChange(version, { timeout: 10_000 });
log(`${changed.value.stage} after ${String(changed.value.done)} bytes`);
await next;
// #endregion

// Not shown: what the docs test checks.
assert.deepEqual(progress.read(), { done: data.byteLength, total: data.byteLength, stage: 'done' });
assert.match(shown.find((line) => line.startsWith('checksum ')) ?? '', /^checksum \d+: done$/);
assert.ok(changed.version > version);
await pool.close();
