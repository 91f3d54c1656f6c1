/**
 * The task module every spindle/piscina worker loads (Spindle's worker runs
 * its `run` export). It loads piscina-style task files by filename, as
 * piscina's own worker does: `require()` first (CommonJS, and TypeScript
 * under a require hook such as tsx), then `import()`; a function export is
 * the handler, otherwise the export named `name` ('default' unless asked),
 * awaited (a module may export a promise of its handler).
 */
import './worker-marker.js';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { transfer } from '../protocol/transfer.js';
import { PiscinaHandlerNotFoundError } from './errors.js';
import { unwrapMovable } from './movable.js';

/** What the pool sends for each task. */
export interface PiscinaRequest {
  readonly filename: string;
  readonly name: string;
  readonly task: unknown;
  /** piscina's `niceIncrement`, applied once per worker where @napi-rs/nice is installed. */
  readonly nice?: number;
}

type Handler = (task: unknown) => unknown;

const requireHere = createRequire(import.meta.url);
const handlers = new Map<string, Handler>();
let niced = false;

/**
 * The handler `name` of a loaded module, as piscina finds it: a CommonJS
 * export is seen as `{ default: module.exports, ...its properties }` (so a
 * function exported whole is 'default', and its properties are the other
 * names); a module namespace (or an `__esModule` object) by its exports.
 */
async function pick(loaded: unknown, name: string, commonJs: boolean): Promise<unknown> {
  if (loaded === null || (typeof loaded !== 'object' && typeof loaded !== 'function')) return undefined;
  const module = loaded as Record<string, unknown>;
  if (commonJs && module.__esModule !== true && name === 'default') return loaded;
  return await module[name];
}

async function findHandler(filename: string, name: string): Promise<Handler> {
  const key = `${filename}/${name}`;
  const cached = handlers.get(key);
  if (cached !== undefined) return cached;
  let handler: unknown;
  try {
    handler = await pick(requireHere(filename), name, true);
  } catch {
    handler = undefined;
  }
  if (typeof handler !== 'function') {
    const url = filename.startsWith('file:') ? filename : pathToFileURL(filename).href;
    handler = await pick(await import(url), name, false);
  }
  if (typeof handler !== 'function') throw new PiscinaHandlerNotFoundError(name, filename);
  if (handlers.size > 1000) handlers.delete(handlers.keys().next().value ?? key);
  handlers.set(key, handler as Handler);
  return handler as Handler;
}

async function applyNice(increment: number): Promise<void> {
  niced = true;
  try {
    const niceModule = '@napi-rs/nice'; // a variable: an optional dependency, as in piscina
    const { nice } = (await import(niceModule)) as { nice: (increment: number) => void };
    nice(increment);
  } catch {
    // Not installed, or the platform refuses: the worker runs at the pool's priority.
  }
}

export async function run(request: PiscinaRequest): Promise<unknown> {
  if (request.nice !== undefined && !niced) await applyNice(request.nice);
  const handler = await findHandler(request.filename, request.name);
  const result = await handler(request.task);
  const { value, transferList } = unwrapMovable(result);
  return transferList.length > 0 ? transfer(value, transferList) : value;
}
