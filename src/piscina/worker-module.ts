/**
 * The task module every spindle/piscina worker loads (Spindle's worker runs
 * its `runDefault` and `run` exports; see worker-request.ts). It loads piscina-style task files by filename, as
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
import { DEFAULT_FILENAME_PARAMETER, DEFAULT_NAME_PARAMETER, NICE_PARAMETER, type PiscinaRequest } from './worker-request.js';

const parameters = new URL(import.meta.url).searchParams;
/** The pool's own filename and name (see worker-request.ts): what `runDefault` runs. */
const defaultFilename = parameters.get(DEFAULT_FILENAME_PARAMETER);
const defaultName = parameters.get(DEFAULT_NAME_PARAMETER) ?? 'default';
/** piscina's `niceIncrement`, applied once per worker where @napi-rs/nice is installed. */
const niceIncrement = Number(parameters.get(NICE_PARAMETER) ?? 0);

type Handler = (task: unknown) => unknown;

const requireHere = createRequire(import.meta.url);
const handlers = new Map<string, Handler>();
let niced = niceIncrement === 0;
/** The pool's own handler, once loaded. */
let defaultHandler: Handler | undefined;

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
  if (filename === defaultFilename && name === defaultName) defaultHandler = handler as Handler;
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

/**
 * Runs a task of the pool's own filename and name (the argument is the task
 * itself). Synchronous while it can be: once the handler is loaded, a
 * handler that returns a plain value is answered at once, as a synchronous
 * task (Spindle's worker batches those and polls for the next one), rather
 * than after a turn of promises; a promise it returns is awaited.
 */
export function runDefault(task: unknown): unknown {
  if (defaultHandler !== undefined && niced) return settle(defaultHandler(task));
  if (defaultFilename === null) throw new Error('spindle/piscina: runDefault needs the pool\'s filename in the worker module\'s URL');
  return runTask(defaultFilename, defaultName, task);
}

/** Runs a task that names its own filename or name, as runDefault does. */
export function run(request: PiscinaRequest): unknown {
  return runTask(request.filename, request.name, request.task);
}

function runTask(filename: string, name: string, task: unknown): unknown {
  if (!niced) return applyNice(niceIncrement).then(() => runTask(filename, name, task));
  const handler = handlers.get(`${filename}/${name}`);
  if (handler === undefined) return findHandler(filename, name).then((found) => settle(found(task)));
  return settle(handler(task));
}

/** The handler's result as the pool receives it: awaited if it is a promise, a moved value unwrapped. */
function settle(result: unknown): unknown {
  if (isThenable(result)) return Promise.resolve(result).then(answer);
  return answer(result);
}

function answer(result: unknown): unknown {
  const { value, transferList } = unwrapMovable(result);
  return transferList.length > 0 ? transfer(value, transferList) : value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
