import { LIFECYCLE_EXPORTS, type WorkerSetup, type WorkerTeardown } from '../protocol/task-context.js';

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

export async function loadTaskModule(moduleUrl: string): Promise<TaskModule> {
  const namespace = await importModule(moduleUrl);
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
  return (await tsImport(moduleUrl, import.meta.url)) as Record<string, unknown>;
}

function isTypeScript(moduleUrl: string): boolean {
  return /\.[cm]?ts$/.test(new URL(moduleUrl).pathname);
}

function isUnknownExtension(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ERR_UNKNOWN_FILE_EXTENSION';
}
