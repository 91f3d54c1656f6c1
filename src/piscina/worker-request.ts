/**
 * What a spindle/piscina pool tells its workers' module (worker-module.ts),
 * shared by both sides. The pool's own `filename`, `name` and
 * `niceIncrement` travel once, in the module's URL (`?filename=…&name=…`):
 * a task for the pool's own handler then travels alone, as its bare argument
 * to the module's `runDefault` export, as a task of Spindle's `Pool` does; a
 * task for another file or name goes to `run`, wrapped in a `PiscinaRequest`.
 */

/** What the pool sends to `run` for a task whose filename or name is not the pool's own. */
export interface PiscinaRequest {
  readonly filename: string;
  readonly name: string;
  readonly task: unknown;
}

/** The module URL's parameters. */
export const DEFAULT_FILENAME_PARAMETER = 'filename';
export const DEFAULT_NAME_PARAMETER = 'name';
export const NICE_PARAMETER = 'nice';

/** The worker module's URL for a pool with these defaults (a filename of null: every task names its own). */
export function workerModuleUrl(moduleUrl: URL, filename: string | null, name: string, niceIncrement: number): URL {
  const url = new URL(moduleUrl);
  if (filename !== null) url.searchParams.set(DEFAULT_FILENAME_PARAMETER, filename);
  url.searchParams.set(DEFAULT_NAME_PARAMETER, name);
  if (niceIncrement > 0) url.searchParams.set(NICE_PARAMETER, String(niceIncrement));
  return url;
}
