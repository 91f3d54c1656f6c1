import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'spindle';
import { codeOf, faultTasksUrl, recordHostFaults, waitFor, type FaultTasks } from './fault-helpers.js';

const RUNS_PER_FAULT = 10;

type FaultPool = Pool<FaultTasks>;

/** How one run of a fault must settle: `resolves` a value, or rejects with an error that `matches`. */
interface Fault {
  readonly description: string;
  readonly run: (pool: FaultPool) => Promise<unknown>;
  readonly resolves?: unknown;
  readonly matches?: (error: Error & { code?: unknown; exitCode?: unknown }) => boolean;
  /** Only an OOM fault needs a pool with a heap limit. */
  readonly needsHeapLimit?: boolean;
}

const workerExited = (exitCode: number) => (error: { code?: unknown; exitCode?: unknown }) =>
  error.code === 'ERR_WORKER_EXITED' && error.exitCode === exitCode;

const faults: readonly Fault[] = [
  { description: 'throws', run: (pool) => pool.run('throwError', 'thrown'), matches: (error) => error.name === 'Error' && error.message === 'thrown' },
  { description: 'rejects', run: (pool) => pool.run('rejectLater', 'rejected'), matches: (error) => error.message === 'rejected' },
  { description: 'calls process.exit(0)', run: (pool) => pool.run('exitProcess', 0), matches: workerExited(0) },
  { description: 'calls process.exit(1)', run: (pool) => pool.run('exitProcess', 1), matches: workerExited(1) },
  { description: 'throws from a timer after it returned', run: (pool) => pool.run('throwAfterReturning', 1), resolves: 'returned' },
  { description: 'leaves an unhandled rejection', run: (pool) => pool.run('rejectUnhandled'), matches: workerExited(1) },
  {
    description: 'runs out of memory',
    run: (pool) => pool.run('allocateForever'),
    matches: (error) => error.code === 'ERR_WORKER_OUT_OF_MEMORY' && typeof error.exitCode === 'number',
    needsHeapLimit: true,
  },
  {
    description: 'overflows its stack',
    run: (pool) => pool.run('overflowStack'),
    matches: (error) => error.name === 'RangeError' && /call stack/.test(error.message),
  },
];

function createPool(needsHeapLimit: boolean): FaultPool {
  return new Pool<FaultTasks>(faultTasksUrl, {
    threads: 2,
    ...(needsHeapLimit ? { resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } } : {}),
  });
}

/** Settles every promise, and fails if one is still pending after `timeoutMs`. */
async function settleAll(promises: readonly Promise<unknown>[], timeoutMs: number): Promise<PromiseSettledResult<unknown>[]> {
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`some of ${promises.length} tasks had not settled after ${timeoutMs} ms`)); }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(promises), tooLate]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts each settlement of `promise`, so that a second one would be seen. */
function countSettlements(promise: Promise<unknown>, counts: number[], index: number): Promise<unknown> {
  counts[index] = 0;
  promise.then(
    () => { counts[index] = (counts[index] ?? 0) + 1; },
    () => { counts[index] = (counts[index] ?? 0) + 1; },
  );
  return promise;
}

function describeOutcome(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'fulfilled') return `resolved ${String(outcome.value)}`;
  const reason = outcome.reason as { name?: unknown; code?: unknown; message?: unknown };
  return `rejected ${String(reason.name)} ${String(reason.code)}: ${String(reason.message)}`;
}

function assertOutcome(fault: Fault, outcome: PromiseSettledResult<unknown>): void {
  if (fault.matches === undefined) {
    assert.equal(outcome.status, 'fulfilled', `a task that ${fault.description} ${describeOutcome(outcome)}`);
    assert.equal(outcome.value, fault.resolves);
    return;
  }
  assert.equal(outcome.status, 'rejected', `a task that ${fault.description} ${describeOutcome(outcome)}`);
  assert.ok(outcome.reason instanceof Error, `a task that ${fault.description} rejected with a non-error`);
  assert.ok(fault.matches(outcome.reason), `a task that ${fault.description} ${describeOutcome(outcome)}`);
}

async function assertAccountedFor(pool: FaultPool, submitted: number): Promise<void> {
  await pool.onIdle();
  const stats = pool.stats();
  assert.equal(stats.submitted, submitted);
  assert.equal(stats.completed + stats.failed, submitted, 'every submitted task is counted as completed or failed once');
  assert.equal(stats.queued, 0);
  assert.equal(stats.running, 0);
}

describe('every promise settles exactly once', () => {
  let hostFaults: ReturnType<typeof recordHostFaults>;
  before(() => {
    hostFaults = recordHostFaults();
  });
  after(() => {
    assert.deepEqual(hostFaults.stop(), [], 'the host saw no uncaughtException or unhandledRejection');
  });

  for (const fault of faults) {
    it(`settles ${RUNS_PER_FAULT} concurrent runs of a task that ${fault.description}, each once and as expected`, async () => {
      const pool = createPool(fault.needsHeapLimit === true);
      try {
        await pool.ready;
        const counts: number[] = [];
        const runs = Array.from({ length: RUNS_PER_FAULT }, (_, index) => countSettlements(fault.run(pool), counts, index));
        const outcomes = await settleAll(runs, 30_000);
        for (const outcome of outcomes) assertOutcome(fault, outcome);
        await assertAccountedFor(pool, RUNS_PER_FAULT);
        assert.deepEqual(counts, Array<number>(RUNS_PER_FAULT).fill(1));
        await waitFor(() => pool.stats().workers.idle === 2, 10_000, 'the pool back at its size');
        assert.equal(await pool.run('succeed', 7), 7, 'the pool still runs tasks afterwards');
      } finally {
        await pool.destroy();
      }
    });
  }

  it('settles every task of an interleaved mix of all the faults, and healthy tasks among them succeed', async () => {
    const pool = createPool(true);
    try {
      await pool.ready;
      const counts: number[] = [];
      const runs: { fault: Fault | undefined; promise: Promise<unknown> }[] = [];
      for (let round = 0; round < RUNS_PER_FAULT; round++) {
        for (const fault of faults) {
          runs.push({ fault, promise: countSettlements(fault.run(pool), counts, runs.length) });
          runs.push({ fault: undefined, promise: countSettlements(pool.run('succeed', round), counts, runs.length) });
        }
      }
      const outcomes = await settleAll(runs.map((run) => run.promise), 50_000);
      outcomes.forEach((outcome, index) => {
        const fault = runs[index]?.fault;
        if (fault === undefined) {
          assert.equal(outcome.status, 'fulfilled', `a healthy task ${describeOutcome(outcome)}`);
          return;
        }
        // An asynchronous task can be the one running when a neighbour's stray timer kills the worker.
        if (fault.description === 'rejects' && outcome.status === 'rejected' && codeOf(outcome.reason) === 'ERR_WORKER_EXITED') return;
        assertOutcome(fault, outcome);
      });
      await assertAccountedFor(pool, runs.length);
      assert.deepEqual(counts, Array<number>(runs.length).fill(1));
    } finally {
      await pool.destroy();
    }
  });
});
