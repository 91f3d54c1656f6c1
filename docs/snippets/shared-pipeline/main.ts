import assert from 'node:assert/strict';
import { Pool } from 'spindle';
import { ByteChannel, RecordChannel } from 'spindle/shared';
import { READING } from './tasks.js';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1 });
const sensors = ['north', 'south', 'east', 'west'];
/** 200 lines of "sensor,celsius". */
const batchOfLines = (batch: number): string =>
  Array.from({ length: 200 }, (_, line) => `${sensors[line % 4] ?? ''},${String((batch + line) % 40)}\n`).join('');

// #region shown
// in the caller: stream 20,000 lines into the task and its records back, both at once, never blocking
const lines = new ByteChannel({ capacity: 64 * 1024 });
const readings = new RecordChannel(READING, { capacity: 1024 });
const parsed = pool.run('parseReadings', { lines: lines.toHandle(), readings: readings.toHandle() });

const writing = (async () => {
  const writer = lines.writer();
  const encoder = new TextEncoder();
  for (let batch = 0; batch < 100; batch++) await writer.write(encoder.encode(batchOfLines(batch))); // waits for room
  writer.close(); // the task's readSync returns null once it has read everything
})();

const hottest = new Map<string, number>();
for await (const { sensor, celsius } of readings.reader()) {
  hottest.set(sensor, Math.max(hottest.get(sensor) ?? -Infinity, celsius));
}
await writing;
console.log(`${String(await parsed)} readings`, hottest); // 20000 readings Map(4) { 'north' => 39, … }
// #endregion

// Not shown: what the docs test checks.
assert.equal(await parsed, 20_000);
assert.deepEqual([...hottest.keys()].sort(), [...sensors].sort());
assert.ok([...hottest.values()].every((celsius) => celsius === 39));
await pool.close();
