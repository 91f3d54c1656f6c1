/**
 * Docs as tests. Every TypeScript, JavaScript and JSON block in README.md,
 * CHANGELOG.md, docs/*.md and examples/*.md is a file (or a region of one)
 * named by a `<!-- snippet: path[#region] … -->` line above it; the files
 * live in docs/snippets/ (one folder per program, run here, compiled and
 * through tsx) or in examples/ (run by test/examples/). Shell blocks may only
 * name scripts, files, flags and packages that exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repositoryRoot, runToEnd, tsx } from '../examples/child-processes.js';
import { CODE_LANGUAGES, SHELL_LANGUAGES, codeBlocks, expectedContent, filesUnder, markdownPages, readProject, shellLineProblems, type CodeBlock } from './markdown.js';

const SNIPPETS = 'docs/snippets';
const RUN_BY_A_TEST = [`${SNIPPETS}/`, 'examples/'];

const pages = markdownPages(repositoryRoot);
const blocksOf = (page: string): CodeBlock[] => codeBlocks(readFileSync(join(repositoryRoot, page), 'utf8'), page);
const where = (block: CodeBlock): string => `${block.page}:${String(block.line)}`;

/** The problems of one code or shell block, each naming the page and line. */
function blockProblems(block: CodeBlock): string[] {
  if (SHELL_LANGUAGES.has(block.language)) {
    const project = readProject(repositoryRoot);
    return block.content.split('\n').flatMap((line) => shellLineProblems(line, project).map((problem) => `${where(block)}: ${problem}`));
  }
  if (block.sources === undefined) {
    return CODE_LANGUAGES.has(block.language) ? [`${where(block)}: a \`${block.language}\` block with no <!-- snippet: … --> line above it`] : [];
  }
  const outside = block.sources.filter(({ path }) => !RUN_BY_A_TEST.some((folder) => path.startsWith(folder)));
  if (outside.length > 0) return outside.map(({ path }) => `${where(block)}: ${path} is neither in ${SNIPPETS}/ nor in examples/, where tests run it`);
  let expected: string;
  try {
    expected = expectedContent(block.sources, repositoryRoot);
  } catch (error) {
    return [`${where(block)}: ${(error as Error).message}`];
  }
  if (block.content === expected) return [];
  const shown = block.content.split('\n');
  const wanted = expected.split('\n');
  const line = shown.findIndex((text, index) => text !== wanted[index]);
  const at = line === -1 ? wanted.length : line;
  return [
    `${where(block)}: the block differs from ${block.sources.map(({ path, region }) => path + (region === undefined ? '' : `#${region}`)).join(' + ')} ` +
      `at its line ${String(at + 1)}:\n  block: ${JSON.stringify(shown[at])}\n  file:  ${JSON.stringify(wanted[at])}`,
  ];
}

describe('code blocks in the markdown pages', () => {
  for (const page of pages) {
    it(`${page}: every code block is its snippet file, and every command names a script, file or flag that exists`, () => {
      assert.deepEqual(blocksOf(page).flatMap(blockProblems), []);
    });
  }

  it('shows every program in docs/snippets/ in some block, so none is left behind when a block is removed', () => {
    const shown = new Set(pages.flatMap(blocksOf).flatMap((block) => block.sources ?? []).map(({ path }) => path.split('/').slice(0, 3).join('/')));
    const programs = readdirSync(join(repositoryRoot, SNIPPETS)).map((name) => `${SNIPPETS}/${name}`);
    assert.deepEqual(programs.filter((program) => !shown.has(program)), []);
  });

  it('checks blocks in README.md, docs/ and examples/, and finds the blocks it checks', () => {
    assert.ok(pages.includes('README.md') && pages.some((page) => page.startsWith('docs/')));
    const marked = pages.flatMap(blocksOf).filter((block) => block.sources !== undefined);
    assert.ok(marked.length >= 20, `expected many marked blocks, found ${String(marked.length)}`);
  });
});

/** Programs that cannot run through tsx, each for the reason its page states (a test checks that they fail so). */
const NOT_THROUGH_TSX = new Map([
  [
    'isolation-permissions',
    {
      why: "tsx compiles with esbuild, which a worker under `permissions` may not start (docs/isolation.md)",
      stderr: /ERR_WORKER_START_FAILED[\s\S]*ERR_ACCESS_DENIED/,
    },
  ],
]);

describe('programs in docs/snippets/', () => {
  const programs = readdirSync(join(repositoryRoot, SNIPPETS)).sort();

  it('has one main.ts per program folder, and nothing else but TypeScript beside it', () => {
    assert.deepEqual(programs.filter((program) => !existsSync(join(repositoryRoot, SNIPPETS, program, 'main.ts'))), []);
    assert.deepEqual(filesUnder(repositoryRoot, SNIPPETS).filter((file) => !file.endsWith('.ts')), []);
  });

  for (const program of programs) {
    it(`${program} runs to completion, compiled by tsc`, async () => {
      const run = await runToEnd(process.execPath, [`build/${SNIPPETS}/${program}/main.js`]);
      assert.equal(run.code, 0, run.stderr);
    });

    const limitation = NOT_THROUGH_TSX.get(program);
    if (limitation === undefined) {
      it(`${program} runs to completion through tsx`, async () => {
        const run = await runToEnd(tsx, [`${SNIPPETS}/${program}/main.ts`]);
        assert.equal(run.code, 0, run.stderr);
      });
    } else {
      it(`${program} fails through tsx as its page says: ${limitation.why}`, async () => {
        const run = await runToEnd(tsx, [`${SNIPPETS}/${program}/main.ts`]);
        assert.notEqual(run.code, 0);
        assert.match(run.stderr, limitation.stderr);
      });
    }
  }
});
