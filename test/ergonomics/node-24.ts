import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, from build/test/ergonomics/. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A Node 24 binary for tests that must run under another Node than the one
 * running them. It comes from npm's `node-<platform>-<arch>` package,
 * installed once into .cache/node24 (git-ignored), never into the project's
 * node_modules: a `node` in node_modules/.bin would shadow the system Node
 * for every npm script. Returns the binary path, or why there is none.
 */
export function node24(): { readonly path: string } | { readonly unavailable: string } {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { unavailable: `no Node 24 package set up for ${process.platform}` };
  const packageName = `node-${process.platform}-${process.arch}`;
  const prefix = `${repositoryRoot}.cache/node24`;
  const binary = `${prefix}/node_modules/${packageName}/bin/node`;
  if (!existsSync(binary)) {
    const installed = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${packageName}@24`], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (installed.status !== 0 || !existsSync(binary)) {
      return { unavailable: `npm install ${packageName}@24 failed: ${installed.error?.message ?? installed.stderr.slice(-500)}` };
    }
  }
  return { path: binary };
}
