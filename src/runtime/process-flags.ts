import type { ResourceLimits } from 'node:worker_threads';

/**
 * Flags of the host a process worker must not inherit: those that run
 * something else (`--test`, `--eval`, `--check`, `--watch`), open a port
 * (`--inspect`), or read the host's own input. The others (`--import tsx`,
 * `--conditions`, `--experimental-*`, `--no-warnings` …) carry over, as
 * they do to worker threads.
 */
const NOT_INHERITED = /^(?:--test|--experimental-test|--watch|--inspect|--debug|--eval|-e$|--print|-p$|--check|-c$|--interactive|-i$|--input-type|--prof|--cpu-prof|--heap-prof|--diagnostic-dir|--max-old-space-size|--max-semi-space-size|--stack-size)/;

/** The host's Node flags that a process worker inherits by default (see NOT_INHERITED). */
export function inheritedProcessFlags(): string[] {
  const flags: string[] = [];
  const host = process.execArgv;
  for (let index = 0; index < host.length; index++) {
    const flag = host[index] ?? '';
    // A flag given as two words (`--import tsx`): keep or drop its value with it.
    const value = !flag.includes('=') && host[index + 1] !== undefined && !(host[index + 1] ?? '').startsWith('-') ? host[index + 1] : undefined;
    const takesValue = value !== undefined && /^--(?:import|require|loader|experimental-loader|conditions|env-file|title)$|^-[rC]$/.test(flag);
    if (!NOT_INHERITED.test(flag)) {
      flags.push(flag);
      if (takesValue) flags.push(value);
    }
    if (takesValue) index++;
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
