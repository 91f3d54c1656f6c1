import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SpindleError } from 'spindle';
import * as sharedModule from 'spindle/shared';
import { SharedMemoryError, sharedErrorCodes } from 'spindle/shared';

/** The rows of the table in the `## Errors` section of docs/shared-memory.md: code → class name. */
function documentedRows(): Map<string, string> {
  const docs = readFileSync(new URL('../../../docs/shared-memory.md', import.meta.url), 'utf8');
  const section = docs.split(/^## /m).find((part) => part.startsWith('Errors\n')) ?? '';
  return new Map([...section.matchAll(/^\| `(ERR_[A-Z_]+)` \| `(\w+)` \|/gm)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** Every error class spindle/shared exports (the base class aside), with the code an instance carries. */
function exportedClasses(): Map<string, string> {
  const exported: unknown[] = Object.values(sharedModule);
  const classes = exported.filter(
    (value): value is new (...args: never[]) => SharedMemoryError => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof SharedMemoryError,
  );
  return new Map(
    classes.map((ErrorClass) => {
      const instance = Reflect.construct(ErrorClass, ['writer', 3]) as SharedMemoryError;
      assert.equal(instance.name, ErrorClass.name);
      assert.ok(instance instanceof Error);
      assert.equal(SpindleError.is(instance), true, `${ErrorClass.name} carries the brand SpindleError.is() looks for`);
      return [instance.code, ErrorClass.name];
    }),
  );
}

describe('spindle/shared errors', () => {
  it('lists every code in the table of docs/shared-memory.md with its class, and the table lists no other', () => {
    const documented = documentedRows();
    assert.deepEqual([...documented.keys()].sort(), [...sharedErrorCodes].sort());
    for (const [code, className] of exportedClasses()) assert.equal(documented.get(code), className, `the row of ${code} names its class`);
  });

  it('exports one class per code, each setting its code, its name and the brand SpindleError.is() knows', () => {
    const classes = exportedClasses();
    assert.deepEqual([...classes.keys()].sort(), [...sharedErrorCodes].sort());
    assert.equal(classes.size, sharedErrorCodes.length, 'no two classes share a code');
  });

  it('reuses the core codes ERR_INVALID_OPTION and ERR_INVALID_ARGUMENT for a wrong option and a wrong argument', () => {
    assert.throws(() => new sharedModule.ByteChannel({ capacity: -1 }), { code: 'ERR_INVALID_OPTION', name: 'SharedOptionError' });
    assert.throws(() => sharedModule.Mutex.from({ kind: 'spindle:mutex' } as never), { code: 'ERR_INVALID_ARGUMENT', name: 'SharedArgumentError' });
  });
});
