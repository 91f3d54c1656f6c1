import { LIFECYCLE_EXPORTS, type WorkerSetup, type WorkerTeardown } from '../protocol/task-context.js';
import { preloadsAModule } from '../protocol/preload-flags.js';

/**
 * Loads a task module and lists its tasks: every exported function, plus
 * the function members of a default-exported object (how CommonJS
 * `module.exports = { ... }` appears to `import()`); except `setup` and
 * `teardown`, which run once per worker, when it starts and when it is
 * retired or the pool closes.
 */

export type TaskFunction = (argument: unknown, context: unknown) => unknown;

export interface TaskModule {
  readonly tasks: ReadonlyMap<string, TaskFunction>;
  readonly setup: WorkerSetup | undefined;
  readonly teardown: WorkerTeardown | undefined;
}

/**
 * How a worker loads its task module. `'import'`: with `import()`, as a
 * thread worker does (its script is an ES module). A `require` function:
 * with it where that loads the module exactly as `import()` would, as a
 * process worker does, passing its own (its script is CommonJS, see
 * process-entry.cts): Node then never starts its asynchronous ES-module
 * loader, which took about 5 ms of a process worker's start
 * (docs/performance.md), and `node:module`, which `createRequire()` would
 * need, stays unloaded (0.2–0.5 ms more).
 */
export type ModuleLoading = 'import' | NodeJS.Require;

export async function loadTaskModule(moduleUrl: string, loading: ModuleLoading): Promise<TaskModule> {
  const namespace = (loading === 'import' ? undefined : requireModule(moduleUrl, loading)) ?? (await importModule(moduleUrl));
  const functions = new Map<string, TaskFunction>();
  const defaultExport: unknown = namespace.default;
  if (typeof defaultExport === 'object' && defaultExport !== null) {
    for (const [name, value] of Object.entries(defaultExport)) {
      if (typeof value === 'function') functions.set(name, value as TaskFunction);
    }
  }
  for (const [name, value] of Object.entries(namespace)) {
    if (typeof value === 'function') functions.set(name, value as TaskFunction);
  }
  const setup = functions.get('setup') as WorkerSetup | undefined;
  const teardown = functions.get('teardown') as WorkerTeardown | undefined;
  for (const name of LIFECYCLE_EXPORTS) functions.delete(name);
  return { tasks: functions, setup, teardown };
}

/**
 * The module loaded with require(), or undefined where import() must load it.
 * Node >= 20.19 requires an ES module as import() would load it (the same
 * namespace, in the same module cache, so a later import() of it gets it
 * too), unless its graph has top-level await: require() then throws
 * ERR_REQUIRE_ASYNC_MODULE before running any of it. import() also loads:
 * anything but a `.js`, `.mjs` or `.cjs` file (a TypeScript module, a
 * `data:` URL, a URL with a query or a hash); a file that does not exist (so that the error is import()'s,
 * ERR_MODULE_NOT_FOUND); and every module of a worker that preloads
 * anything (`--import`, `--require`, `-r`, `--loader`, in its flags or in
 * NODE_OPTIONS): a preload may register module customization hooks
 * (`module.register()` works from CommonJS too), and not every Node runs
 * them for require().
 */
function requireModule(moduleUrl: string, require: NodeJS.Require): Record<string, unknown> | undefined {
  const url = new URL(moduleUrl);
  // A query or a hash makes import() load another instance of the file; require() would not.
  if (url.protocol !== 'file:' || url.search !== '' || url.hash !== '' || !/\.[cm]?js$/.test(url.pathname) || mayHaveLoaderHooks()) return undefined;
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const path = fileURLToPath(url);
  if (process.getBuiltinModule('node:fs').statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return undefined;
  let exports: unknown;
  try {
    exports = require(path);
  } catch (error) {
    if (errorCode(error) === 'ERR_REQUIRE_ASYNC_MODULE') return undefined;
    throw error;
  }
  // A CommonJS module gives its module.exports: import() would show it as the default export.
  return process.getBuiltinModule('node:util').types.isModuleNamespaceObject(exports) ? (exports as Record<string, unknown>) : { default: exports };
}

/** Whether the worker preloads a module, which may have registered module customization hooks. */
function mayHaveLoaderHooks(): boolean {
  return preloadsAModule(process.execArgv, process.env.NODE_OPTIONS);
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

async function importModule(moduleUrl: string): Promise<Record<string, unknown>> {
  try {
    return (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    if (!isTypeScript(moduleUrl) || !isUnknownExtension(error)) throw error;
  }
  // Node without native type stripping: fall back on tsx if the project has it.
  let tsImport: (specifier: string, parent: string) => Promise<unknown>;
  try {
    const tsxApi = 'tsx/esm/api'; // a variable, so that tsx stays an optional dependency
    ({ tsImport } = (await import(tsxApi)) as { tsImport: typeof tsImport });
  } catch (cause) {
    throw new Error(
      `Cannot load the TypeScript task module ${moduleUrl} on Node ${process.version}: ` +
        'this Node cannot strip types (Node >= 22.18 can, or 22.6+ with --experimental-strip-types), ' +
        'and the tsx package is not installed (npm install --save-dev tsx).',
      { cause },
    );
  }
  // The module's own URL as the parent: this file may be CommonJS (process-entry.cts), which has no import.meta.
  return (await tsImport(moduleUrl, moduleUrl)) as Record<string, unknown>;
}

function isTypeScript(moduleUrl: string): boolean {
  return /\.[cm]?ts$/.test(new URL(moduleUrl).pathname);
}

function isUnknownExtension(error: unknown): boolean {
  return errorCode(error) === 'ERR_UNKNOWN_FILE_EXTENSION';
}
