import assert from 'node:assert/strict';
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 2 });
const imagePaths = Array.from({ length: 100 }, (_, index) => `photos/${index}.jpg`);
const saved: string[] = [];
const save = async (path: string): Promise<void> => {
  saved.push(path);
  await Promise.resolve();
};

// #region shown
for await (const thumbnail of pool.map(imagePaths, 'thumbnail', { concurrency: 8, chunkSize: 4 })) {
  await save(thumbnail);
}
// #endregion

// Not shown: what the docs test checks.
assert.deepEqual(saved, imagePaths.map((path) => path.replace('.jpg', '.thumb.jpg')));
await pool.close();
