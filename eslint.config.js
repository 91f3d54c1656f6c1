// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', '.bench-results/', 'test-results/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // What a worker runs (src/worker/, and src/protocol/, which both sides import) takes built-ins with
    // process.getBuiltinModule: every ES-module import of one costs a worker about half a millisecond of its
    // start (the loader builds a module wrapper for it), which is the startup figure of docs/performance.md.
    files: ['src/worker/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^node:', allowTypeImports: true, message: 'Use process.getBuiltinModule(): an ES-module import of a built-in slows every worker start (see eslint.config.js).' }] },
      ],
    },
  },
  {
    // A process worker's script is CommonJS (see the file), and verbatimModuleSyntax writes its imports as require().
    files: ['src/worker/process-entry.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' }] }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['docs/snippets/**/*.ts', 'examples/**/*.ts'],
    rules: {
      // Code readers copy: `onProgress: (value) => console.log(value)` reads better with no braces.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
);
