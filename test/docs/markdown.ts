/**
 * What the docs tests read in the markdown pages: fenced code blocks, the
 * snippet marker that ties a block to the file it shows, and the commands of
 * shell blocks. Pure functions over text and the file system, so that
 * test/internals/docs-markdown.test.ts can show each check fail.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** One fenced code block of a markdown page. */
export interface CodeBlock {
  /** The page, relative to the repository root. */
  readonly page: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's language (`ts`, `sh`…), empty when it has none. */
  readonly language: string;
  /** The lines between the fences, without the indentation of the fence. */
  readonly content: string;
  /** The sources named by a `<!-- snippet: … -->` line just above the fence, if any. */
  readonly sources: readonly SnippetSource[] | undefined;
}

/** A file, or a named region of it, that a code block shows. */
export interface SnippetSource {
  /** Relative to the repository root, with forward slashes. */
  readonly path: string;
  /** The `// #region <name>` the block shows; the whole file when undefined. */
  readonly region: string | undefined;
}

/** Languages whose blocks must be snippet files that a test type-checks and runs. */
export const CODE_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs', 'json', 'jsonc']);
/** Languages whose blocks are commands that must name scripts, files and flags that exist. */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell']);

const MARKER = /^\s*<!--\s*snippet:\s*(.+?)\s*-->\s*$/;
const FENCE = /^( *)(`{3,}|~{3,})\s*([\w-]*)/;

/** The fenced code blocks of a markdown page, with their snippet markers. */
export function codeBlocks(markdown: string, page: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = FENCE.exec(lines[index] ?? '');
    if (opening === null) continue;
    const [, indentation = '', fence = '', language = ''] = opening;
    const closing = new RegExp(`^ {0,${String(indentation.length + 3)}}${fence[0] === '`' ? '`' : '~'}{${String(fence.length)},}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !closing.test(lines[end] ?? '')) end++;
    if (end === lines.length) throw new Error(`${page}:${String(index + 1)}: a code block is never closed`);
    const content = lines
      .slice(index + 1, end)
      .map((line) => (line.startsWith(indentation) ? line.slice(indentation.length) : line.trimStart()))
      .join('\n');
    let previous = index - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
    const marker = MARKER.exec(lines[previous] ?? '');
    blocks.push({ page, line: index + 1, language: language.toLowerCase(), content, sources: marker?.[1] === undefined ? undefined : parseSources(marker[1]) });
    index = end;
  }
  return blocks;
}

function parseSources(list: string): SnippetSource[] {
  return list.split(/\s+/).map((item) => {
    const [path = '', region] = item.split('#');
    return { path, region };
  });
}

/**
 * What a block marked with `sources` must contain: each file, or its named
 * region, in turn, separated by a blank line. Throws when a file or region
 * is missing.
 */
export function expectedContent(sources: readonly SnippetSource[], repositoryRoot: string): string {
  return sources
    .map(({ path, region }) => {
      const file = join(repositoryRoot, path);
      if (!existsSync(file)) throw new Error(`the snippet file ${path} does not exist`);
      const text = readFileSync(file, 'utf8').replace(/\n+$/, '');
      return region === undefined ? withoutRegionLines(text.split('\n')).join('\n') : regionOf(text, region, path);
    })
    .join('\n\n');
}

const REGION_START = /^\s*\/\/ #region (\S+)\s*$/;
const REGION_END = /^\s*\/\/ #endregion\b/;

/** The lines between `// #region <name>` and its `// #endregion`, dedented, other region lines left out. */
export function regionOf(text: string, name: string, path = 'the file'): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => REGION_START.exec(line)?.[1] === name);
  if (start === -1) throw new Error(`${path} has no \`// #region ${name}\``);
  let depth = 0;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? '';
    if (REGION_START.test(line)) depth++;
    else if (REGION_END.test(line)) {
      if (depth === 0) break;
      depth--;
    }
  }
  if (end === lines.length) throw new Error(`${path}: \`// #region ${name}\` has no \`// #endregion\``);
  const shown = withoutRegionLines(lines.slice(start + 1, end));
  const indentation = Math.min(...shown.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return shown.map((line) => line.slice(Number.isFinite(indentation) ? indentation : 0)).join('\n');
}

function withoutRegionLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !REGION_START.test(line) && !REGION_END.test(line));
}

/** What the shell-block check needs to know about the project. */
export interface Project {
  readonly root: string;
  readonly name: string;
  readonly scripts: Readonly<Record<string, string>>;
  /** Every package the project depends on, of any kind. */
  readonly packages: ReadonlySet<string>;
}

export function readProject(root: string): Project {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const packages = new Set([manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].flatMap((list) => Object.keys(list ?? {})));
  return { root, name: manifest.name, scripts: manifest.scripts ?? {}, packages };
}

/**
 * The problems with one line of a shell block, empty when every command on
 * it names something that exists: `npm run x` a script, `npm start -- --flag`
 * a flag the script's program declares, `node file` a file, `npx bin` an
 * installed binary, `npm install pkg` this package or one it depends on.
 */
export function shellLineProblems(line: string, project: Project): string[] {
  const command = line.replace(/(^|\s)#.*$/, '').trim();
  if (command === '') return [];
  return command.split(/\s*&&\s*/).flatMap((part) => commandProblems(part.split(/\s+/), project));
}

function commandProblems(tokens: string[], project: Project): string[] {
  while (/^[A-Z_][A-Z0-9_]*=/.test(tokens[0] ?? '')) tokens.shift();
  const [program, ...rest] = tokens;
  switch (program) {
    case 'npm':
      return npmProblems(rest, project);
    case 'npx': {
      const bin = rest.find((token) => !token.startsWith('-')) ?? '';
      return existsSync(join(project.root, 'node_modules', '.bin', bin)) ? [] : [`npx ${bin}: no such binary in node_modules/.bin`];
    }
    case 'node':
      return nodeProblems(rest, project);
    default:
      return [`\`${program ?? ''}\` is not a command the docs check knows (npm, npx, node)`];
  }
}

function npmProblems([subcommand = '', ...rest]: string[], project: Project): string[] {
  if (['install', 'i', 'ci'].includes(subcommand)) {
    return rest
      .filter((token) => !token.startsWith('-'))
      .map((token) => token.replace(/(.)@.*$/, '$1'))
      .filter((name) => name !== project.name && !project.packages.has(name))
      .map((name) => `npm install ${name}: neither this package nor one of its dependencies`);
  }
  let script: string | undefined;
  let args: string[];
  if (subcommand === 'test' || subcommand === 'start') [script, args] = [subcommand, rest];
  else if (subcommand === 'run' || subcommand === 'run-script') [script, ...args] = rest;
  else return [`npm ${subcommand}: not a command the docs check knows`];
  if (script === undefined || !(script in project.scripts)) return [`npm run ${script ?? ''}: package.json has no such script`];
  const separator = args.indexOf('--');
  const flags = separator === -1 ? [] : args.slice(separator + 1);
  if (flags.length === 0) return [];
  const entry = /node\s+(\S+\.js)(?!.*\bnode\s)/.exec(project.scripts[script] ?? '')?.[1];
  if (entry === undefined) return [`npm run ${script} -- ${flags.join(' ')}: the script runs no node program to take flags`];
  return flagProblems(entry, flags, project, `npm run ${script}`);
}

function nodeProblems(args: string[], project: Project): string[] {
  const entry = args.find((token) => !token.startsWith('-'));
  if (entry === undefined) return ['node: no file to run'];
  const [, ...flags] = args.slice(args.indexOf(entry));
  return flagProblems(entry, flags, project, `node ${entry}`);
}

/** A program the docs run: its source (build/x.js is compiled from x.ts) and the folder its flags may be declared in. */
function programSource(entry: string, project: Project): { readonly source: string; readonly folder: string } | undefined {
  const compiled = /^build\/(.+)\.js$/.exec(entry);
  const source = compiled?.[1] === undefined ? entry : `${compiled[1]}.ts`;
  if (!existsSync(join(project.root, source))) return undefined;
  const [top = ''] = source.split('/');
  return { source, folder: top === 'test' ? posix.dirname(source) : top === source ? '.' : top };
}

function flagProblems(entry: string, args: readonly string[], project: Project, what: string): string[] {
  const program = programSource(entry, project);
  if (program === undefined) return [`${what}: ${entry} does not exist${entry.startsWith('build/') ? ' (nor its TypeScript source)' : ''}`];
  const flags = args.filter((token) => token.startsWith('--')).map((token) => token.slice(2).split('=')[0] ?? '');
  if (flags.length === 0) return [];
  const declared = declaredFlags(program.source, program.folder, project.root);
  return flags.filter((flag) => !declared.has(flag)).map((flag) => `${what}: --${flag} is declared nowhere in ${program.source} or ${program.folder}/`);
}

/** Flags a program declares: parseArgs option keys (`name: { type: … }`) and `'--name'` literals, in its source or its folder. */
export function declaredFlags(source: string, folder: string, root: string): Set<string> {
  const files = [join(root, source)];
  if (folder !== '.' && statSync(join(root, folder)).isDirectory()) {
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name)) files.push(join(entry.parentPath, entry.name));
    }
  }
  const flags = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(['"]?)([a-z][\w-]*)\1\s*:\s*\{\s*type\s*:/g)) flags.add(match[2] ?? '');
    for (const match of text.matchAll(/['"`]--([a-z][\w-]*)/g)) flags.add(match[1] ?? '');
  }
  return flags;
}

/** The markdown pages whose code blocks are checked, relative to the repository root. */
export function markdownPages(root: string): string[] {
  const pages = ['README.md', 'CHANGELOG.md'].filter((page) => existsSync(join(root, page)));
  for (const folder of ['docs', 'examples']) {
    if (!existsSync(join(root, folder))) continue;
    for (const name of readdirSync(join(root, folder)).sort()) if (name.endsWith('.md')) pages.push(`${folder}/${name}`);
  }
  return pages;
}

/** Every file under a folder, relative to `root`, with forward slashes. */
export function filesUnder(root: string, folder: string): string[] {
  if (!existsSync(join(root, folder))) return [];
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
