import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastJsonLine, runChild, shutdownChildUrl, type ChildOutcome } from './fault-helpers.js';

/** How long a process may take to exit by itself once its pool has closed. */
const EXIT_AFTER_CLOSE_MS = 1_000;

/** Runs a scenario of test/fixtures/fault-shutdown-child.ts; notes when its report line arrived. */
async function runScenario(scenario: string, onLine?: Parameters<typeof runChild>[2]['onLine']): Promise<{ outcome: ChildOutcome; report: Record<string, unknown>; exitAfterReportMs: number }> {
  let reportAt = Infinity;
  const outcome = await runChild(shutdownChildUrl, [scenario], {
    timeoutMs: 20_000,
    onLine: (line, child) => {
      if (!line.includes('"ready"')) reportAt = performance.now();
      onLine?.(line, child);
    },
  });
  const exitAfterReportMs = performance.now() - reportAt;
  assert.equal(outcome.timedOut, false, `the ${scenario} child never exited:\n${outcome.stdout}\n${outcome.stderr}`);
  assert.equal(outcome.signal, null, `the ${scenario} child was killed by ${String(outcome.signal)}`);
  assert.equal(outcome.exitCode, 0, `the ${scenario} child exited with ${String(outcome.exitCode)}:\n${outcome.stderr}`);
  return { outcome, report: lastJsonLine(outcome), exitAfterReportMs };
}

describe('close drains gracefully, and forcefully on a timeout', () => {
  it('finishes all 50 running and queued tasks when close() comes 10 ms in, refuses later runs, and lets the process exit by itself', async (context) => {
    const { report, exitAfterReportMs } = await runScenario('drain');
    context.diagnostic(`close() took ${Math.round(Number(report.closeTookMs))} ms; the process exited ${Math.round(exitAfterReportMs)} ms after`);
    assert.deepEqual(report.outcomes, { resolved: 50 });
    assert.equal(report.lateRun, 'ERR_POOL_CLOSED');
    assert.equal(report.state, 'closed');
    assert.deepEqual(report.activeResources, [], 'no handle keeps the process alive once close() resolved');
    assert.ok(exitAfterReportMs < EXIT_AFTER_CLOSE_MS, `the process took ${Math.round(exitAfterReportMs)} ms to exit after close()`);
  });

  it('with close({ timeout: 500 }) and hung or 5 s tasks, resolves on time, rejects them ERR_POOL_DESTROYED, and the process exits', async (context) => {
    const { report, exitAfterReportMs } = await runScenario('force');
    context.diagnostic(`close({ timeout: 500 }) took ${Math.round(Number(report.closeTookMs))} ms`);
    // Well short of the 5 s tasks, with room for a machine loaded far past its cores (2.2 s was seen at a load average of 20).
    assert.ok(Number(report.closeTookMs) >= 490 && Number(report.closeTookMs) < 3_500, `close took ${String(report.closeTookMs)} ms`);
    assert.deepEqual(report.outcomes, { ERR_POOL_DESTROYED: 4 });
    assert.equal(report.lateRun, 'ERR_POOL_CLOSED');
    assert.equal(report.state, 'closed');
    assert.deepEqual(report.activeResources, []);
    assert.ok(exitAfterReportMs < EXIT_AFTER_CLOSE_MS, `the process took ${Math.round(exitAfterReportMs)} ms to exit after close()`);
  });

  it('on SIGTERM with closeOnSignal(), completes every in-flight task and exits 0', async () => {
    let signalledAt = 0;
    const { outcome, report } = await runScenario('sigterm', (line, child) => {
      if (line.includes('"ready"')) {
        signalledAt = performance.now();
        child.kill('SIGTERM');
      }
    });
    assert.ok(signalledAt > 0, 'the child got ready and was sent SIGTERM');
    assert.deepEqual(report.outcomes, { resolved: 10 }, 'all ten 300 ms tasks in flight at SIGTERM completed');
    assert.equal(report.lateRun, 'ERR_POOL_CLOSED', 'after SIGTERM the pool refused new work');
    assert.ok(outcome.durationMs < 10_000);
  });
});
