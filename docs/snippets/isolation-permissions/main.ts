import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const uploads = mkdtempSync(join(tmpdir(), 'uploads-'));
writeFileSync(join(uploads, 'note.txt'), 'three short words');
// #region shown
// main.ts
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), {
  runtime: 'process',
  permissions: { fsRead: [uploads] }, // no writes, no child processes, no workers, no addons
});
console.log(await pool.run('wordCount', join(uploads, 'note.txt'))); // 3
const refused = await pool.run('wordCount', '/etc/passwd').then(
  () => 'read',
  (error: unknown) => (error as NodeJS.ErrnoException).code,
);
console.log(refused); // ERR_ACCESS_DENIED, Node's own code, passed through
// #endregion

// Not shown: what the docs test checks.
assert.equal(await pool.run('wordCount', join(uploads, 'note.txt')), 3);
assert.equal(refused, 'ERR_ACCESS_DENIED');
assert.equal(await pool.run('wordCount', join(uploads, 'note.txt')), 3, 'the pool survives');
await pool.close();
rmSync(uploads, { recursive: true, force: true });
