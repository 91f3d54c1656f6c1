import type { FastifyInstance } from 'fastify';
import type { ExecutionMode } from '../task-runner.js';

/** `GET /health`: constant, tiny work, so its latency shows how free the event loop is. */
export function registerHealthRoutes(app: FastifyInstance, mode: ExecutionMode): void {
  app.get('/health', () => ({ status: 'ok', mode }));
}
