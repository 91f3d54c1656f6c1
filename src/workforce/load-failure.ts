import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A compiled extension, and the TypeScript sources that compile to it. */
const SOURCES: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/**
 * The message of ERR_WORKER_START_FAILED: the module, the Node version, the
 * loader's own message, and what a newcomer needs next — where a syntax error
 * is, or that the `.js` file asked for is missing while its `.ts` source sits
 * beside it (a TypeScript project run with tsx, asking for the compiled name).
 */
export function describeLoadFailure(moduleUrl: URL, cause: Error, syntaxErrorAt: string | undefined): string {
  let message = `The worker module ${moduleUrl.href} failed to load on Node ${process.version}: ${cause.message}`;
  if (syntaxErrorAt !== undefined) message += `\n  at ${syntaxErrorAt}`;
  const source = typeScriptSourceBeside(moduleUrl, cause);
  if (source !== undefined) {
    message +=
      `. ${source} exists beside it: to run TypeScript task modules without compiling, point the pool at the .ts file ` +
      `(import.meta.resolve('./tasks.js') gives it when the caller runs under tsx) and install tsx; or compile them first`;
  }
  return message;
}

function typeScriptSourceBeside(moduleUrl: URL, cause: Error): string | undefined {
  if ((cause as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND' || moduleUrl.protocol !== 'file:') return undefined;
  const path = fileURLToPath(moduleUrl);
  const extension = /\.[cm]?js$/.exec(path)?.[0];
  if (extension === undefined) return undefined;
  for (const sourceExtension of SOURCES[extension] ?? []) {
    const candidate = path.slice(0, -extension.length) + sourceExtension;
    if (existsSync(candidate)) return candidate.slice(candidate.lastIndexOf('/') + 1);
  }
  return undefined;
}
