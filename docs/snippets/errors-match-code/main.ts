import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1 });
const app = Fastify();
app.post('/resize', async (request, reply) => {
  const image = request.body as { width: number; delayMs: number };
  // #region shown
  try {
    await pool.run('resize', image, { timeout: 2_000 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_TASK_TIMEOUT') return reply.code(504).send();
    throw error;
  }
  // #endregion
  return reply.code(200).send();
});

// Not shown: what the docs test checks, a quick resize and one past its timeout.
const resize = async (delayMs: number): Promise<number> =>
  (await app.inject({ method: 'POST', url: '/resize', payload: { width: 640, delayMs } })).statusCode;
assert.equal(await resize(1), 200);
assert.equal(await resize(5_000), 504);
await app.close();
await pool.close();
