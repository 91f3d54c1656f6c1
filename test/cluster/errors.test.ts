import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SpindleError } from 'spindle';
import * as clusterModule from 'spindle/cluster';
import { ClusterError, clusterErrorCodes } from 'spindle/cluster';

/** The codes in the table of the `## Errors` section of docs/cluster.md. */
function documentedCodes(): string[] {
  const docs = readFileSync(new URL('../../../docs/cluster.md', import.meta.url), 'utf8');
  const section = docs.split(/^## /m).find((part) => part.startsWith('Errors\n')) ?? '';
  return [...section.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((match) => match[1] ?? '');
}

describe('spindle/cluster errors', () => {
  it('lists every code it raises in the table of docs/cluster.md, and the table lists no other', () => {
    assert.deepEqual(documentedCodes().sort(), [...clusterErrorCodes, 'ERR_INVALID_OPTION'].sort());
  });

  it('exports one class per code of its own, each setting that code and the brand SpindleError.is() knows', () => {
    const exported: unknown[] = Object.values(clusterModule);
    const classes = exported.filter(
      (value): value is new (...args: never[]) => ClusterError => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof ClusterError,
    );
    const codes = classes.map((ErrorClass) => {
      const instance = Reflect.construct(ErrorClass, ['x', ['y']]) as ClusterError;
      const code: string = instance.code;
      assert.equal(instance.name, ErrorClass.name);
      assert.equal(SpindleError.is(instance), true, `${ErrorClass.name} carries the brand`);
      return code;
    });
    assert.deepEqual(codes.sort(), [...clusterErrorCodes].sort());
  });
});
