import assert from 'node:assert/strict';
import { Pool } from 'spindle';

const tasks = import.meta.resolve('./tasks.js');
process.env.DATABASE_PASSWORD = 'secret';
process.env.TZ = 'UTC';

// #region exec-argv
const debugged = new Pool(tasks, { execArgv: (index) => ['--inspect', `--inspect-port=${9230 + index}`] });
// #endregion
// #region env
const allowlisted = new Pool(tasks, { env: ['NODE_ENV', 'TZ'] });       // an allowlist: only these are copied
const exact = new Pool(tasks, { env: { NODE_ENV: 'production' } });     // exactly this environment
// #endregion

// Not shown: what the docs test checks.
type Info = { execArgv: string[]; env: Record<string, string | undefined> };
const info = async (pool: Pool): Promise<Info> => (await pool.run('processInfo')) as Info;
assert.ok((await info(debugged)).execArgv.includes('--inspect-port=9230'));
assert.deepEqual(Object.keys((await info(allowlisted)).env).sort(), process.env.NODE_ENV === undefined ? ['TZ'] : ['NODE_ENV', 'TZ']);
assert.deepEqual((await info(exact)).env, { NODE_ENV: 'production' });
assert.equal((await info(allowlisted)).env.DATABASE_PASSWORD, undefined);
await Promise.all([debugged.close(), allowlisted.close(), exact.close()]);
