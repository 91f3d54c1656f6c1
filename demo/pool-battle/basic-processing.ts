import { isDeepStrictEqual } from 'node:util';
import { progressOf, scaled, type BattleContext, type Scenario } from './battle-context.js';
import type { CheckList } from './checks.js';
import { completionDetail } from './ledger.js';
import { count, ms, seconds } from './format.js';
import { LoopDelay } from './loop-delay.js';
import { crunch, seededRandom } from './work.js';

const MIN_ROUNDS = 5_000;
const MAX_ROUNDS = 4_000_000;
const RESULT_WIDTHS = [0, 1, 16, 256, 4_096] as const;

/**
 * 1. A few hundred CPU tasks of mixed sizes (rounds spread evenly on a log
 * scale, results of 0 to 4,096 numbers), all submitted at once; then the
 * same work inline on the main thread, and every pooled result compared
 * with its inline twin.
 */
export const basicProcessing: Scenario = {
  title: 'Basic processing',
  label: 'basic processing',
  async run(context: BattleContext, checks: CheckList): Promise<void> {
    const { pool, ledger } = context;
    const random = seededRandom(1);
    const requests = Array.from({ length: scaled(400, context.scale, 40) }, (_, index) => ({
      seed: index * 7_919 + 1,
      rounds: Math.round(MIN_ROUNDS * (MAX_ROUNDS / MIN_ROUNDS) ** random()),
      width: RESULT_WIDTHS[index % RESULT_WIDTHS.length] ?? 0,
    }));

    const loopDelay = new LoopDelay();
    const startedAt = performance.now();
    const entries = requests.map((request) =>
      ledger.track({ scenario: 'basic processing', kind: 'compute', retries: 0 }, (counter) => pool.run('compute', { ...request, counter })),
    );
    context.status.start(this.label, progressOf(() => entries));
    const unsettled = await ledger.settle(entries, context.settleTimeoutMs);
    const pooledMs = performance.now() - startedAt;
    context.status.stop();
    const pooledDelay = loopDelay.summary();
    loopDelay.stop();

    const inlineStartedAt = performance.now();
    const expected = requests.map((request) => crunch(request.seed, request.rounds, request.width));
    const inlineMs = performance.now() - inlineStartedAt;

    const completed = entries.filter((entry) => entry.settlement === 'completed');
    const equal = entries.filter((entry, index) => entry.settlement === 'completed' && isDeepStrictEqual(entry.value, expected[index]));
    const ranOnce = entries.filter((entry) => entry.executions === 1);
    const totalRounds = requests.reduce((sum, request) => sum + request.rounds, 0);
    context.report(
      `${count(entries.length)} tasks of ${count(MIN_ROUNDS)} to ${count(MAX_ROUNDS)} rounds (${count(totalRounds)} in all), results of 0 to 4,096 numbers, on ${String(context.threads)} workers`,
    );
    context.report(
      `pooled ${seconds(pooledMs)}, main-thread loop delay p99 ${ms(pooledDelay.p99)} ms; the same work inline ${seconds(inlineMs)}, the main thread blocked throughout; speed-up ${(inlineMs / pooledMs).toFixed(1)}×`,
    );
    checks.check('every task settled', unsettled.length === 0, `${count(entries.length - unsettled.length)} of ${count(entries.length)}`);
    checks.check('every task completed', completed.length === entries.length, completionDetail(entries));
    checks.check('every result equals the same function run inline', equal.length === entries.length, `${count(equal.length)} of ${count(entries.length)}`);
    checks.check('every task body ran exactly once', ranOnce.length === entries.length, `${count(ranOnce.length)} of ${count(entries.length)}`);
  },
};
