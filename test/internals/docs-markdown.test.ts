import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { codeBlocks, expectedContent, readProject, regionOf, shellLineProblems } from '../docs/markdown.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('the docs check: code blocks and their snippet markers', () => {
  it('reads each fenced block with its language, its line, its marker, and without the indentation of a list item', () => {
    const page = [
      '# Title',
      '',
      '<!-- snippet: docs/snippets/a/main.ts#shown docs/snippets/a/tasks.ts -->',
      '',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '- a list item:',
      '',
      '  ```sh',
      '  npm test',
      '    indented more',
      '  ```',
      '',
      '```',
      'plain output',
      '```',
    ].join('\n');
    const blocks = codeBlocks(page, 'page.md');
    assert.deepEqual(
      blocks.map(({ line, language, content, sources }) => ({ line, language, content, sources })),
      [
        {
          line: 5,
          language: 'ts',
          content: 'const a = 1;',
          sources: [
            { path: 'docs/snippets/a/main.ts', region: 'shown' },
            { path: 'docs/snippets/a/tasks.ts', region: undefined },
          ],
        },
        { line: 11, language: 'sh', content: 'npm test\n  indented more', sources: undefined },
        { line: 16, language: '', content: 'plain output', sources: undefined },
      ],
    );
  });

  it('takes a marker only from the line just above a block, blank lines aside', () => {
    const page = ['<!-- snippet: x.ts -->', 'Some prose.', '```ts', 'code', '```'].join('\n');
    assert.equal(codeBlocks(page, 'page.md')[0]?.sources, undefined);
  });

  it('fails on a block that is never closed', () => {
    assert.throws(() => codeBlocks('```ts\nconst a = 1;\n', 'page.md'), /page\.md:1: a code block is never closed/);
  });

  it('cuts a region out of a file, dedented, leaving out the markers of regions nested in it', () => {
    const file = [
      'hidden();',
      'function f() {',
      '  // #region outer',
      '  first();',
      '  // #region inner',
      '  if (x) {',
      '    second();',
      '  }',
      '  // #endregion',
      '  // #endregion',
      '}',
    ].join('\n');
    assert.equal(regionOf(file, 'outer'), 'first();\nif (x) {\n  second();\n}');
    assert.equal(regionOf(file, 'inner'), 'if (x) {\n  second();\n}');
    assert.throws(() => regionOf(file, 'missing'), /has no `\/\/ #region missing`/);
    assert.throws(() => regionOf('// #region open\ncode', 'open'), /has no `\/\/ #endregion`/);
  });

  it('expects the files and regions of a marker joined by a blank line, and fails on a missing file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'spindle-docs-'));
    try {
      writeFileSync(join(folder, 'a.ts'), '// #region one\nconst a = 1;\n// #endregion\nhidden();\n');
      writeFileSync(join(folder, 'b.ts'), 'const b = 2;\n');
      const sources = [
        { path: 'a.ts', region: 'one' },
        { path: 'b.ts', region: undefined },
      ];
      assert.equal(expectedContent(sources, folder), 'const a = 1;\n\nconst b = 2;');
      assert.throws(() => expectedContent([{ path: 'gone.ts', region: undefined }], folder), /the snippet file gone\.ts does not exist/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the docs check: commands in shell blocks', () => {
  const project = readProject(repositoryRoot);
  const problems = (line: string): string[] => shellLineProblems(line, project);

  it('accepts the commands the README gives, comments and all', () => {
    assert.deepEqual(problems('npm install && npm start    # the main job'), []);
    assert.deepEqual(problems('npm install && npm test     # the whole suite'), []);
    assert.deepEqual(problems('npm run bench -- --rounds 3 --workloads burst,latency --pools spindle,piscina'), []);
    assert.deepEqual(problems('npm run soak -- --seconds 60'), []);
    assert.deepEqual(problems('node scripts/test.js --unit'), []);
    assert.deepEqual(problems('node scripts/test.js queue'), []);
    assert.deepEqual(problems(`npm install ${project.name}`), []);
    assert.deepEqual(problems('npm install --save-dev tsx'), []);
    assert.deepEqual(problems('npx tsx main.ts'), []);
    assert.deepEqual(problems(''), []);
  });

  it('rejects a script, a flag, a file, a binary or a package that does not exist', () => {
    assert.deepEqual(problems('npm run no-such-script'), ['npm run no-such-script: package.json has no such script']);
    assert.deepEqual(problems('npm start -- --no-such-flag'), ['npm run start: --no-such-flag is declared nowhere in demo/start.ts or demo/']);
    assert.deepEqual(problems('npm run soak -- --minutes 3'), ['npm run soak: --minutes is declared nowhere in test/soak/soak.ts or test/soak/']);
    assert.deepEqual(problems('node scripts/test.js --everything'), ['node scripts/test.js: --everything is declared nowhere in scripts/test.js or scripts/']);
    assert.deepEqual(problems('node scripts/missing.js'), ['node scripts/missing.js: scripts/missing.js does not exist']);
    assert.deepEqual(problems('node build/missing.js'), ['node build/missing.js: build/missing.js does not exist (nor its TypeScript source)']);
    assert.deepEqual(problems('npx no-such-binary'), ['npx no-such-binary: no such binary in node_modules/.bin']);
    assert.deepEqual(problems('npm install left-pad'), ['npm install left-pad: neither this package nor one of its dependencies']);
    assert.deepEqual(problems('make all'), ['`make` is not a command the docs check knows (npm, npx, node)']);
  });

  it('checks every command of a line joined with &&', () => {
    assert.deepEqual(problems('npm install && npm run nope'), ['npm run nope: package.json has no such script']);
  });
});
