import { isDeepStrictEqual } from 'node:util';
import { scaled, waitForWorkers, type BattleContext } from './battle-context.js';
import type { CheckList } from './checks.js';
import { count, ms } from './format.js';
import { completionDetail } from './ledger.js';
import { exits } from './pool-events.js';
import { crunch } from './work.js';

const CLOSE_TIMEOUT_MS = 20_000;

/**
 * `close()` with work still queued: every queued task must finish, a task
 * submitted afterwards is refused with ERR_POOL_CLOSED, and no worker is
 * left once `close()` resolves.
 */
export async function shutDownGracefully(context: BattleContext, checks: CheckList): Promise<void> {
  const { pool, ledger, events } = context;
  const ready = await waitForWorkers(context, events.snapshot(), {}, 5_000);
  const workersAtClose = pool.stats().workers.total;
  const requests = Array.from({ length: scaled(200, context.scale, 20) }, (_, index) => ({ seed: 90_000 + index, rounds: 300_000 + (index % 7) * 100_000, width: 8 }));
  const entries = requests.map((request) =>
    ledger.track({ scenario: 'graceful shutdown', kind: 'queued at close', retries: 0 }, (counter) => pool.run('compute', { ...request, counter })),
  );
  await new Promise((resolve) => setImmediate(resolve)); // let the pool hand out the first batches
  const atClose = pool.stats();
  const closedAt = performance.now();
  const closing = pool.close();
  const late = ledger.track({ scenario: 'graceful shutdown', kind: 'after close', retries: 0 }, (counter) => pool.run('compute', { seed: 1, rounds: 1, width: 0, counter }));
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    closing.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => { resolve(false); }, CLOSE_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  const drainMs = performance.now() - closedAt;
  if (!closed) await pool.destroy();
  await ledger.settle([...entries, late], context.settleTimeoutMs);

  const after = pool.stats();
  const sinceStart = events.snapshot();
  const exited = Object.values(sinceStart.workerExit).reduce((sum, value) => sum + value, 0);
  const correct = entries.filter((entry, index) => {
    const request = requests[index];
    return request !== undefined && entry.settlement === 'completed' && isDeepStrictEqual(entry.value, crunch(request.seed, request.rounds, request.width));
  });
  context.report(`close() called with ${count(atClose.queued)} tasks queued and ${count(atClose.running)} in the workers; it resolved after ${ms(drainMs)} ms`);
  context.report(`workers: ${String(workersAtClose)} at close, ${String(after.workers.total)} after; ${count(sinceStart.workerStart)} started and ${count(exited)} exited over the whole run`);
  checks.check(`all ${String(context.threads)} workers ready before the shutdown`, ready, `${String(workersAtClose)} workers`);
  checks.check(`close() resolved (within ${String(CLOSE_TIMEOUT_MS / 1000)} s)`, closed, `${ms(drainMs)} ms`);
  checks.check('every task queued at close completed', entries.every((entry) => entry.settlement === 'completed'), completionDetail(entries));
  checks.check('every result is right', correct.length === entries.length, `${count(correct.length)} of ${count(entries.length)}`);
  checks.check('run() after close() is refused with ERR_POOL_CLOSED', late.code === 'ERR_POOL_CLOSED' && late.executions === 0, late.code ?? late.settlement ?? 'unsettled');
  checks.check('no worker is left, the pool is closed', after.workers.total === 0 && after.state === 'closed', `${String(after.workers.total)} workers, state ${after.state}`);
  checks.check('every worker that started has exited', sinceStart.workerStart === exited, `${count(sinceStart.workerStart)} started, ${count(exited)} exited`);
  checks.check('the workers alive at close ended for that reason', exits(sinceStart, 'close') === workersAtClose, `${String(exits(sinceStart, 'close'))} with reason close, ${String(workersAtClose)} expected`);
}
