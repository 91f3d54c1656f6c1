import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'spindle';

const tasks = import.meta.resolve('./tasks.js');
process.env.DATABASE_PASSWORD = 'secret';
process.env.TZ = 'UTC';

const directory = mkdtempSync(join(tmpdir(), 'spindle-profiles-'));
// #region exec-argv
const profiled = new Pool(tasks, {
  threads: 2,
  execArgv: (index) => ['--cpu-prof', `--cpu-prof-dir=${directory}`, `--cpu-prof-name=worker-${index}.cpuprofile`],
});
// #endregion
// #region env
const allowlisted = new Pool(tasks, { env: ['NODE_ENV', 'TZ'] });       // an allowlist: only these are copied
const exact = new Pool(tasks, { env: { NODE_ENV: 'production' } });     // exactly this environment
// #endregion

// Not shown: what the docs test checks.
type Info = { execArgv: string[]; env: Record<string, string | undefined> };
const info = async (pool: Pool): Promise<Info> => (await pool.run('processInfo')) as Info;
assert.ok((await info(profiled)).execArgv.includes('--cpu-prof'));
assert.deepEqual(Object.keys((await info(allowlisted)).env).sort(), process.env.NODE_ENV === undefined ? ['TZ'] : ['NODE_ENV', 'TZ']);
assert.deepEqual((await info(exact)).env, { NODE_ENV: 'production' });
assert.equal((await info(allowlisted)).env.DATABASE_PASSWORD, undefined);
await Promise.all([profiled.close(), allowlisted.close(), exact.close()]);
assert.ok(existsSync(join(directory, 'worker-0.cpuprofile')), 'each worker wrote its own profile when it exited');
rmSync(directory, { recursive: true, force: true });
