import type { ResourceLimits } from 'node:worker_threads';

/**
 * Flags of the host a process worker must not inherit: those that run
 * something else (`--test`, `--eval`, `--check`, `--watch`), open a port
 * (`--inspect`), or read the host's own input. The others (`--import tsx`,
 * `--conditions`, `--experimental-*`, `--no-warnings` …) carry over, as
 * they do to worker threads.
 */
const NOT_INHERITED = /^(?:--test|--experimental-test|--watch|--inspect|--debug|--eval|-e$|--print|-p$|--check|-c$|--interactive|-i$|--input-type|--prof|--cpu-prof|--heap-prof|--diagnostic-dir|--max-old-space-size|--max-semi-space-size|--stack-size)/;

/**
 * The host's Node flags that a process worker inherits by default (see
 * NOT_INHERITED). A flag may be given its value as the next word
 * (`--import tsx`, `--inspect-port 9300`, `--cpu-prof-dir profiles`).
 * `process.execArgv` holds the words before the script, so a word there
 * that is not a flag is always the value of the flag before it: it is kept
 * or dropped with that flag. (Left behind, a dropped flag's value would be
 * taken for the worker's script.)
 */
export function inheritedProcessFlags(host: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  for (let index = 0; index < host.length; index++) {
    const flag = host[index] ?? '';
    const next = host[index + 1];
    const value = next !== undefined && !next.startsWith('-') ? next : undefined;
    if (!NOT_INHERITED.test(flag)) {
      flags.push(flag);
      if (value !== undefined) flags.push(value);
    }
    if (value !== undefined) index++;
  }
  return flags;
}

/** `resourceLimits`, as the flags that set the same V8 limits for a whole process. */
export function heapFlags(limits: ResourceLimits | undefined): string[] {
  if (limits === undefined) return [];
  const flags: string[] = [];
  if (limits.maxOldGenerationSizeMb !== undefined) flags.push(`--max-old-space-size=${String(Math.ceil(limits.maxOldGenerationSizeMb))}`);
  // V8's young generation is three semi-spaces.
  if (limits.maxYoungGenerationSizeMb !== undefined) flags.push(`--max-semi-space-size=${String(Math.max(1, Math.ceil(limits.maxYoungGenerationSizeMb / 3)))}`);
  if (limits.stackSizeMb !== undefined) flags.push(`--stack-size=${String(Math.ceil(limits.stackSizeMb * 1024))}`);
  return flags;
}
