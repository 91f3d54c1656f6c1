// #region shown
// tasks.ts
import { readFile } from 'node:fs/promises';

export async function wordCount(path: string): Promise<number> {
  return (await readFile(path, 'utf8')).split(/\s+/).filter(Boolean).length;
}
// #endregion
