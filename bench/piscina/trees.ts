import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pools piscina's benchmarks run against: piscina itself, and spindle/piscina under its name. */
export const PISCINA_IMPLEMENTATIONS = ['piscina', 'spindle/piscina'] as const;
export type PiscinaImplementation = (typeof PISCINA_IMPLEMENTATIONS)[number];

/** The published piscina package (the pinned dev dependency), whose benchmark/ folder is run. */
export function piscinaPackageDir(): string {
  // require.resolve('piscina') is <package>/dist/main.js.
  return dirname(dirname(createRequire(import.meta.url).resolve('piscina')));
}

/**
 * Copies piscina's benchmark/ folder, unmodified, once per implementation,
 * into `directory`/<name>/benchmark/. Each copy's `require('../../dist')`
 * finds <name>/dist/index.js: the implementation's exports, with `Piscina`
 * a subclass that only records the pools the benchmark creates (so that the
 * runner can destroy them: piscina's benchmarks never close their pools).
 * Returns the benchmark/ folder of each copy.
 */
export function makeTrees(directory: string): Record<PiscinaImplementation, string> {
  const source = piscinaPackageDir();
  const targets: Record<PiscinaImplementation, string> = {
    // piscina's own dist/index.js: the module its benchmarks load.
    piscina: join(source, 'dist', 'index.js'),
    'spindle/piscina': fileURLToPath(import.meta.resolve('spindle/piscina')),
  };
  const trees = {} as Record<PiscinaImplementation, string>;
  for (const implementation of PISCINA_IMPLEMENTATIONS) {
    const tree = join(directory, implementation.replace('/', '-'));
    mkdirSync(join(tree, 'dist'), { recursive: true });
    cpSync(join(source, 'benchmark'), join(tree, 'benchmark'), { recursive: true });
    writeFileSync(join(tree, 'package.json'), `${JSON.stringify({ name: 'piscina-benchmark', private: true, type: 'commonjs' })}\n`);
    writeFileSync(
      join(tree, 'dist', 'index.js'),
      [
        "'use strict';",
        `const implementation = require(${JSON.stringify(targets[implementation])});`,
        'const createdPools = [];',
        'class Piscina extends implementation.Piscina {',
        '  constructor(...args) {',
        '    super(...args);',
        '    createdPools.push(this);',
        '  }',
        '}',
        'module.exports = { ...implementation, Piscina, default: Piscina, createdPools };',
        '',
      ].join('\n'),
    );
    trees[implementation] = join(tree, 'benchmark');
  }
  return trees;
}
