import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SpindleError } from 'spindle';
import * as errors from '../../src/piscina/errors.js';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..', '..');
const page = readFileSync(join(root, 'docs', 'migrating-from-piscina.md'), 'utf8');
// The judge's list (scripts/ is plain JavaScript, outside the compiled tree).
const { EXCLUDED } = (await import(pathToFileURL(join(root, 'scripts', 'piscina-judge', 'excluded.js')).href)) as {
  EXCLUDED: readonly { readonly file: string; readonly name: string; readonly reason: string }[];
};

/** The rows of the table under `heading`: its first column, without backquotes. */
function firstColumn(heading: string): string[] {
  const section = page.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Code') && !line.startsWith('| Test') && !line.startsWith('|---'))
    .map((line) => (line.split('|')[1] ?? '').trim().replaceAll('`', ''));
}

describe('docs/migrating-from-piscina.md stays in step with spindle/piscina', () => {
  it('lists every error code of spindle/piscina once in its error table, and no other', () => {
    const codes = Object.values(errors).map((ErrorClass) => {
      const error = new (ErrorClass as new (...args: unknown[]) => Error & { code: string })('x', 'y');
      assert.ok(SpindleError.is(error), `${ErrorClass.name} carries the spindle.error brand`);
      return error.code;
    });
    assert.deepEqual([...new Set(firstColumn('Errors'))].sort(), [...new Set(codes)].sort());
  });

  it('lists every excluded piscina test, with its file, and no test that is not excluded', () => {
    const listed = firstColumn('Excluded tests').sort();
    assert.deepEqual(listed, EXCLUDED.map(({ file, name }) => `${file} › ${name}`).sort());
  });
});
