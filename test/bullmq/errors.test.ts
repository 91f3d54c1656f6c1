import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { errorCodes, SpindleError } from 'spindle';
import * as bullmqModule from 'spindle/bullmq';
import { FleetError, fleetErrorCodes } from 'spindle/bullmq';

/** The core's codes that a fleet call can end with (each means there what it means for a local pool). */
const CORE_CODES_ACROSS_THE_QUEUE = [
  'ERR_TASK_TIMEOUT',
  'ERR_QUEUE_TIMEOUT',
  'ERR_TASK_ABORTED',
  'ERR_QUEUE_FULL',
  'ERR_POOL_CLOSED',
  'ERR_POOL_DESTROYED',
  'ERR_UNKNOWN_TASK',
  'ERR_ARGUMENT_NOT_CLONEABLE',
  'ERR_RESULT_NOT_CLONEABLE',
  'ERR_INVALID_OPTION',
  'ERR_INVALID_ARGUMENT',
];

/** The codes in the table of the `## Errors` section of docs/fleet.md. */
function documentedCodes(): string[] {
  const docs = readFileSync(new URL('../../../docs/fleet.md', import.meta.url), 'utf8');
  const section = docs.split(/^## /m).find((part) => part.startsWith('Errors\n')) ?? '';
  return [...section.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((match) => match[1] ?? '');
}

describe('spindle/bullmq errors', () => {
  it('lists every code of its own and every core code a fleet call can end with in the table of docs/fleet.md, and no other', () => {
    assert.deepEqual(documentedCodes().sort(), [...fleetErrorCodes, ...CORE_CODES_ACROSS_THE_QUEUE].sort());
    const core: readonly string[] = errorCodes;
    assert.deepEqual(CORE_CODES_ACROSS_THE_QUEUE.filter((code) => !core.includes(code)), [], 'each is a code of the core');
    assert.deepEqual(fleetErrorCodes.filter((code) => core.includes(code)), [], 'no code of its own repeats one of the core');
  });

  it('exports one class per code of its own, each setting that code, the job id and the brand SpindleError.is() knows', () => {
    const exported: unknown[] = Object.values(bullmqModule);
    const classes = exported.filter(
      (value): value is new (...args: never[]) => FleetError => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof FleetError,
    );
    const codes = classes.map((ErrorClass) => {
      const instance = Reflect.construct(ErrorClass, ['job-1', 'why']) as FleetError;
      const code: string = instance.code;
      assert.equal(instance.name, ErrorClass.name);
      assert.equal(instance.jobId, 'job-1');
      assert.ok(instance instanceof Error);
      assert.equal(SpindleError.is(instance), true, `${ErrorClass.name} carries the brand`);
      return code;
    });
    assert.deepEqual(codes.sort(), [...fleetErrorCodes].sort());
  });
});
