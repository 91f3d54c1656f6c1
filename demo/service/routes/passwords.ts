import type { FastifyInstance } from 'fastify';
import { DEFAULT_BCRYPT_COST } from '../../work/password-hash.js';
import type { TaskRunner } from '../task-runner.js';

const bodySchema = {
  type: 'object',
  required: ['password'],
  properties: {
    // bcrypt reads at most 72 bytes of a password.
    password: { type: 'string', minLength: 1, maxLength: 72 },
    cost: { type: 'integer', minimum: 4, maximum: 14, default: DEFAULT_BCRYPT_COST },
  },
} as const;

/** `POST /passwords/hash`: `{ password, cost? }` in, `{ hash, cost }` out (bcrypt). */
export function registerPasswordRoutes(app: FastifyInstance, runner: TaskRunner): void {
  app.post<{ Body: { password: string; cost: number } }>('/passwords/hash', { schema: { body: bodySchema } }, async (request) => {
    const { password, cost } = request.body;
    const hash = await runner.run('hashPassword', { password, cost });
    return { hash, cost };
  });
}
