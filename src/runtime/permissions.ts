import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preloadFlag } from '../protocol/preload-flags.js';

/**
 * Node's permission model for the process runtime (`--permission`, on Node
 * 20 `--experimental-permission`): what task code in a process worker may
 * touch. Anything not granted is refused by Node with `ERR_ACCESS_DENIED`.
 * It limits what well-meaning but buggy or untrusted JavaScript reaches
 * through Node's APIs; it is not a sandbox of V8 itself (see docs/isolation.md).
 */
export interface Permissions {
  /** Paths task code may read (files or folders; a folder covers what is under it). Spindle adds what the worker needs to start: its own code and the task module's folder. @default none */
  readonly fsRead?: readonly string[];
  /** Paths task code may write. @default none */
  readonly fsWrite?: readonly string[];
  /** Whether task code may start child processes. @default false */
  readonly childProcess?: boolean;
  /** Whether task code may start worker threads. @default false */
  readonly worker?: boolean;
  /** Whether task code may load native addons. @default false */
  readonly addons?: boolean;
  /** Whether task code may use WASI. @default false */
  readonly wasi?: boolean;
}

/** Node 22 renamed `--experimental-permission` to `--permission`. */
function permissionFlag(): string {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 22 ? '--permission' : '--experimental-permission';
}

/**
 * The Node flags that enforce `permissions` in a process worker started from
 * `entry` with `execArgv` to load `moduleUrl`.
 */
export function permissionFlags(permissions: Permissions, entry: URL, moduleUrl: string, execArgv: readonly string[]): string[] {
  // The worker reads its own code (Spindle's package), the task module's package, whose node_modules it imports from,
  // and the packages its flags preload (`--import tsx`), each also where its symbolic links lead: Node checks real paths.
  const spindleRoot = dirname(dirname(dirname(fileURLToPath(entry))));
  const moduleRoot = moduleUrl.startsWith('file:') ? packageRootOf(dirname(fileURLToPath(moduleUrl))) : undefined;
  const needed = [spindleRoot, ...(moduleRoot === undefined ? [] : [moduleRoot]), ...preloadedRoots(execArgv)];
  const reads = [...needed, ...needed.map(realPathOf), ...(permissions.fsRead ?? [])];
  const flags = [permissionFlag(), ...outermost(reads).map((path) => `--allow-fs-read=${path}`)];
  for (const path of outermost(permissions.fsWrite ?? [])) flags.push(`--allow-fs-write=${path}`);
  if (permissions.childProcess === true) flags.push('--allow-child-process');
  if (permissions.worker === true) flags.push('--allow-worker');
  if (permissions.addons === true) flags.push('--allow-addons');
  if (permissions.wasi === true) flags.push('--allow-wasi');
  return flags;
}

/**
 * The paths, resolved, without duplicates and without those inside another
 * (which it covers already): Node 20's permission tree aborts the process on
 * a path given twice.
 */
function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths.map((path) => resolve(path)))].sort((first, second) => first.length - second.length);
  const kept: string[] = [];
  for (const path of unique) {
    if (!kept.some((outer) => path === outer || path.startsWith(outer.endsWith(sep) ? outer : outer + sep))) kept.push(path);
  }
  return kept;
}

/** The package folders of the modules that `execArgv` preloads (`--import tsx`, `--require ./setup.cjs` …). */
function preloadedRoots(execArgv: readonly string[]): string[] {
  const resolveFromHere = createRequire(join(process.cwd(), 'noop.js'));
  const roots: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const flag = preloadFlag(execArgv[index] ?? '');
    if (flag === undefined) continue;
    const specifier = flag.inlineValue ?? execArgv[++index];
    if (specifier === undefined) continue;
    try {
      const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolveFromHere.resolve(specifier);
      roots.push(packageRootOf(dirname(path)));
    } catch {
      // Not resolvable from here (an export-only ESM entry, say): the worker reports it if it cannot load it either.
    }
  }
  return roots;
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The nearest folder at or above `directory` with a package.json (the folder itself if none). */
function packageRootOf(directory: string): string {
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (dirname(current) === current) return directory;
  }
}
