/**
 * Node's flags that load a module before the worker's own code runs
 * (`--import tsx`, `--require ./setup.cjs`, `-r`, `--loader` …). The pool
 * side reads them to let a sandboxed worker read what they load
 * (runtime/permissions.ts); the worker side, to know that module
 * customization hooks may be registered (worker/load-module.ts).
 */
const PRELOAD_FLAG = /^(?:--import|--require|-r|--loader|--experimental-loader)(?:=(.*))?$/;

/**
 * Whether `argument` is a preload flag; if it is, the module it names when
 * written `--flag=module` (undefined when the module is the next argument).
 */
export function preloadFlag(argument: string): { readonly inlineValue: string | undefined } | undefined {
  const match = PRELOAD_FLAG.exec(argument);
  return match === null ? undefined : { inlineValue: match[1] };
}

/** Whether these flags, or those of a `NODE_OPTIONS` string, preload a module. */
export function preloadsAModule(execArgv: readonly string[], nodeOptions = ''): boolean {
  return execArgv.some((argument) => preloadFlag(argument) !== undefined) || nodeOptions.split(/\s+/).some((argument) => preloadFlag(argument) !== undefined);
}
