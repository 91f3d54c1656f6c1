
/** How long `node --check` may take to find the location of a syntax error. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * Where a task module's syntax error is: `path:line:column`, the line, and
 * a caret. An ES module's SyntaxError carries no location on Node 20 (its
 * stack only names Node's own loader), so the file is checked again with
 * `node --check`, which prints it. Only on this failure path. Undefined when
 * the module is not a file, or the error is in a file it imports.
 */
export function locateSyntaxError(moduleUrl: string): string | undefined {
  if (!moduleUrl.startsWith('file:')) return undefined;
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const check = spawnSync(process.execPath, ['--check', fileURLToPath(moduleUrl)], { encoding: 'utf8', timeout: CHECK_TIMEOUT_MS, windowsHide: true });
  if (check.status === 0 || typeof check.stderr !== 'string') return undefined;
  const [header, source, caret] = check.stderr.split('\n');
  const match = /^(.+):(\d+)$/.exec(header ?? '');
  if (match === null) return undefined;
  const column = caret?.indexOf('^') ?? -1;
  const where = `${match[1] ?? ''}:${match[2] ?? ''}${column >= 0 ? `:${String(column + 1)}` : ''}`;
  return source === undefined || column < 0 ? where : `${where}\n    ${source}\n    ${caret ?? ''}`;
}
