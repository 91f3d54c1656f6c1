import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// The sources compiled into build/src/, as failure.ts sees them (the package's classes are other copies).
import { SpindleError, TaskTimeoutError } from '../../../src/index.js';
import { failedReasonOf, failureParts, jobFailure, rebuildFailure, retryableByDefault } from '../../../src/bullmq/failure.js';

describe('failures on the wire: failedReason', () => {
  it("writes Node's own format, `Name [CODE]: message`, or `Name: message` without a code", () => {
    assert.equal(failedReasonOf(failureParts(Object.assign(new TypeError('bad'), { code: 'E_BAD' }))), 'TypeError [E_BAD]: bad');
    assert.equal(failedReasonOf(failureParts(new Error('plain'))), 'Error: plain');
    assert.equal(failedReasonOf(failureParts(new TaskTimeoutError(50))), 'TaskTimeoutError [ERR_TASK_TIMEOUT]: The task ran longer than its timeout of 50 ms');
    assert.equal(failedReasonOf(failureParts('a string')), 'Error: The task threw a value that is not an Error: a string');
  });

  it('throws for BullMQ an error whose message is the failedReason and whose stack is the task’s, named UnrecoverableError when it must not be retried', () => {
    const cause = Object.assign(new Error('task failed'), { code: 'E_X' });
    const retried = jobFailure(cause, true);
    assert.equal(retried.message, 'Error [E_X]: task failed');
    assert.equal(retried.name, 'Error');
    assert.ok(retried.stack?.startsWith('Error [E_X]: task failed\n    at '));
    assert.equal(jobFailure(cause, false).name, 'UnrecoverableError');
  });

  it('retries by default every failure but those that would fail again', () => {
    assert.equal(retryableByDefault(Object.assign(new Error('x'), { code: 'ERR_TASK_TIMEOUT' })), true);
    assert.equal(retryableByDefault(Object.assign(new Error('x'), { code: 'ERR_WORKER_EXITED' })), true);
    assert.equal(retryableByDefault(new Error('flaky network')), true);
    for (const code of ['ERR_UNKNOWN_TASK', 'ERR_TASK_ABORTED', 'ERR_INVALID_ARGUMENT', 'ERR_RESULT_NOT_CLONEABLE']) assert.equal(retryableByDefault(Object.assign(new Error('x'), { code })), false, code);
    assert.equal(retryableByDefault(Object.assign(new Error('x'), { name: 'UnrecoverableError' })), false);
  });

  it('rebuilds the error on the producer: a Spindle code as a SpindleError, others as the named built-in class, BullMQ’s own reasons as fleet errors', () => {
    const timeout = rebuildFailure('7', 'TaskTimeoutError [ERR_TASK_TIMEOUT]: The task ran longer than its timeout of 50 ms');
    assert.ok(timeout instanceof SpindleError);
    assert.deepEqual([timeout.name, timeout.code, timeout.message, (timeout as { jobId?: string }).jobId], ['TaskTimeoutError', 'ERR_TASK_TIMEOUT', 'The task ran longer than its timeout of 50 ms', '7']);
    const typed = rebuildFailure('7', 'TypeError: bad: really', 'TypeError: bad: really\n    at task (tasks.js:1:1)');
    assert.ok(typed instanceof TypeError && !SpindleError.is(typed));
    assert.deepEqual([typed.message, typed.stack], ['bad: really', 'TypeError: bad: really\n    at task (tasks.js:1:1)']);
    const custom = rebuildFailure('7', 'ValidationError [E_INPUT]: no');
    assert.deepEqual([custom.constructor, custom.name, (custom as { code?: string }).code], [Error, 'ValidationError', 'E_INPUT']);
    assert.equal((rebuildFailure('7', 'job stalled more than allowable limit') as { code?: string }).code, 'ERR_JOB_STALLED');
    const other = rebuildFailure('7', 'Missing lock for job 7. moveToFinished');
    assert.deepEqual([(other as { code?: string }).code, (other as { failedReason?: string }).failedReason], ['ERR_JOB_FAILED', 'Missing lock for job 7. moveToFinished']);
  });
});
