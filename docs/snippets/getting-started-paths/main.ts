import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Not shown: the process runs in another folder, which has a tasks.js of its own.
const workingDirectory = mkdtempSync(join(tmpdir(), 'spindle-paths-'));
writeFileSync(join(workingDirectory, 'tasks.js'), "module.exports = { where: () => 'in the working directory' };\n");
process.chdir(workingDirectory);

// #region shown
import { Pool } from 'spindle';

const here = new Pool(import.meta.resolve('./tasks.js')); // from this file, as import() would
const there = new Pool('./tasks.js'); // from process.cwd(), as fs.readFile() would
// #endregion

// Not shown: what the docs test checks.
assert.equal(await here.run('where'), 'next to main.ts');
assert.equal(await there.run('where'), 'in the working directory');
await Promise.all([here.close(), there.close()]);
rmSync(workingDirectory, { recursive: true });
