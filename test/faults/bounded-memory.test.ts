import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastJsonLine, memoryChildUrl, runChild } from './fault-helpers.js';

/**
 * The measurements run in a child `node --expose-gc` (test/fixtures/fault-memory-child.ts):
 * the test runner itself keeps memory per rejected promise, which would blur a heap check here.
 */
async function measure(scenario: string): Promise<Record<string, unknown>> {
  // Without coverage: 200 worker replacements would otherwise leave some 70 MB of coverage files behind.
  const outcome = await runChild(memoryChildUrl, [scenario], { execArgv: ['--expose-gc'], timeoutMs: 150_000, withoutCoverage: true });
  assert.equal(outcome.timedOut, false, `the ${scenario} child did not finish in time`);
  assert.equal(outcome.exitCode, 0, `the ${scenario} child failed:\n${outcome.stderr}`);
  return lastJsonLine(outcome);
}

describe('memory stays bounded under overload and churn', () => {
  it('with maxQueue = 1000, rejects the rest of 200,000 synchronous submissions with ERR_QUEUE_FULL and grows the heap < 20 MB', async (context) => {
    const measured = await measure('queue-overflow');
    context.diagnostic(`heap growth after 200,000 submissions: ${Number(measured.grownMb).toFixed(2)} MB`);
    // maxQueue bounds the tasks that wait: each of the 2 idle workers takes one more at once.
    assert.equal(measured.resolved, 1_002, 'exactly maxQueue tasks waited, plus one per idle worker');
    assert.equal(measured.queueFull, 198_998);
    assert.equal(measured.otherErrors, 0);
    assert.equal(measured.rejectedQueueFull, 198_998);
    assert.equal(measured.backpressureEvents, 1, 'one backpressure event for the whole episode');
    assert.ok(Number(measured.grownMb) < 20, `the heap grew by ${String(measured.grownMb)} MB`);
  });

  it('removes the listeners of 20,000 tasks sharing one signal, and 200 worker replacements leak neither listeners nor heap', async (context) => {
    const measured = await measure('signal-churn');
    context.diagnostic(`heap growth after 20,000 tasks and 200 replacements: ${Number(measured.grownMb).toFixed(2)} MB`);
    assert.equal(measured.listenersWhilePending, 1, 'the pool adds one listener to a signal, however many pending tasks share it');
    assert.equal(measured.listenersAfterTasks, 0, 'each settled task removed its listener');
    assert.equal(measured.listenersWhileCrashing, 1);
    assert.equal(measured.listenersAfterCrashes, 0, 'tasks whose workers died removed their listeners');
    assert.equal(measured.workerCrashes, 204, 'the 200 replacements and the 4 of the warm-up');
    assert.equal(measured.lastResult, 1, 'the pool still runs tasks');
    assert.equal(measured.abortedAfterwards, 0, 'aborting the signal afterwards reaches no settled task');
    assert.ok(Number(measured.grownMb) < 3, `the heap grew by ${String(measured.grownMb)} MB`);
  });
});
