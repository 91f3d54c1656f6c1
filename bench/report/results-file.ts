import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RESULTS_DIRECTORY = '.bench-results';

export async function writeResults(fileName: string, results: unknown): Promise<string> {
  await mkdir(RESULTS_DIRECTORY, { recursive: true });
  const path = join(RESULTS_DIRECTORY, fileName);
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

/** A results file written less than `maxAgeMs` ago, or undefined. */
export async function readFreshResults(fileName: string, maxAgeMs: number): Promise<unknown> {
  const path = join(RESULTS_DIRECTORY, fileName);
  try {
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > maxAgeMs) return undefined;
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
