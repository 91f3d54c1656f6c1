import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
// #region imports
import { pipeline } from 'node:stream/promises';
// #endregion
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 2 });
const csvParser = Readable.from(Array.from({ length: 1_000 }, (_, id) => ({ id })));
const lines: string[] = [];
const jsonLinesWriter = new Writable({
  objectMode: true,
  write(row: unknown, _encoding, done) {
    lines.push(JSON.stringify(row));
    done();
  },
});

// #region pipeline
await pipeline(
  csvParser,                                   // objects in
  pool.stream('enrich', { concurrency: 16 }),  // runs `enrich` on each object
  jsonLinesWriter,                             // results out, in input order
);
// #endregion

// Not shown: what the docs test checks.
assert.deepEqual(lines, Array.from({ length: 1_000 }, (_, id) => JSON.stringify({ id, square: id * id })));
await pool.close();
