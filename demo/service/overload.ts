import type { FastifyInstance } from 'fastify';
import { SpindleError } from 'spindle';
import type { TaskRunner } from './task-runner.js';

/** Pool errors that mean "too busy now, try again soon". */
const OVERLOAD_CODES = new Set(['ERR_QUEUE_FULL', 'ERR_QUEUE_TIMEOUT']);

/**
 * Load shedding: when the pool's queue is full, `pool.run()` rejects at once
 * with ERR_QUEUE_FULL, and the request is answered 503 with `Retry-After`
 * instead of waiting. Every other error goes to Fastify's own handler.
 */
export function installOverloadHandling(app: FastifyInstance, runner: TaskRunner, onShed: () => void): void {
  app.setErrorHandler(async (error, _request, reply) => {
    if (!(error instanceof SpindleError) || !OVERLOAD_CODES.has(error.code)) throw error;
    onShed();
    return reply
      .code(503)
      .header('retry-after', String(retryAfterSeconds(runner)))
      .send({ statusCode: 503, error: 'Service Unavailable', code: error.code, message: 'The work queue is full; retry later.' });
  });
}

/** Roughly how long the queue needs to drain, in whole seconds (at least 1). */
function retryAfterSeconds(runner: TaskRunner): number {
  const stats = runner.stats();
  if (stats === undefined) return 1;
  const workers = Math.max(1, stats.workers.total);
  return Math.max(1, Math.ceil((stats.queued * stats.runTime.p50) / workers / 1000));
}
