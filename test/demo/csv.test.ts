import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool, transfer } from 'spindle';
import { makeSampleCsv, SAMPLE_CSV_COLUMNS } from '../../demo/samples/sample-csv.js';
import { postFile, startService, type RunningService } from './service-harness.js';

interface CsvAnswer {
  rowCount: number;
  columns: string[];
  records: Record<string, unknown>[];
}

describe('POST /csv', () => {
  let running: RunningService;
  before(async () => {
    running = await startService();
  });
  after(() => running.close());

  it('turns each of 2,000 rows into a record keyed by the header row', async () => {
    const response = await postFile(`${running.url}/csv`, 'file', 'orders.csv', 'text/csv', makeSampleCsv(2000));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-row-count'), '2000');
    const body = (await response.json()) as CsvAnswer;
    assert.equal(body.rowCount, 2000);
    assert.equal(body.records.length, 2000);
    assert.deepEqual(body.columns, [...SAMPLE_CSV_COLUMNS]);
    assert.deepEqual(body.records[0], { id: 1, name: 'Customer 0', email: 'customer0@example.com', country: 'DE', amount: 0, created_at: '2025-02-01T10:00:00Z', note: 'Rush order, gift wrap 0' });
    assert.equal(body.records[1999]?.id, 2000);
  });

  it('converts a 50,000-row upload of about 4 MB completely', async () => {
    const csv = makeSampleCsv(50_000);
    assert.ok(csv.length > 4_000_000);
    const response = await postFile(`${running.url}/csv`, 'file', 'orders.csv', 'text/csv', csv);
    const body = (await response.json()) as CsvAnswer;
    assert.equal(body.rowCount, 50_000);
    assert.equal(body.records.at(-1)?.id, 50_000);
  });

  it('answers 422 with DEMO_MALFORMED_CSV for an unterminated quote', async () => {
    const response = await postFile(`${running.url}/csv`, 'file', 'broken.csv', 'text/csv', 'a,b\n1,"never closed\n2,3\n');
    assert.equal(response.status, 422);
    assert.equal(((await response.json()) as { code: string }).code, 'DEMO_MALFORMED_CSV');
  });

  it('answers 400 when the upload has no `file` field', async () => {
    const response = await postFile(`${running.url}/csv`, 'attachment', 'orders.csv', 'text/csv', 'a,b\n1,2\n');
    assert.equal(response.status, 400);
  });

  it('answers 406 to a body that is not multipart', async () => {
    const response = await fetch(`${running.url}/csv`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a,b\n1,2\n' });
    assert.equal(response.status, 406);
  });
});

describe('the csvToJson task', () => {
  it('moves the CSV bytes to the worker and the JSON bytes back instead of copying them', async () => {
    const pool = new Pool<typeof import('../../demo/tasks.js')>(new URL('../../demo/tasks.js', import.meta.url), { threads: 1 });
    try {
      const csv = new TextEncoder().encode(makeSampleCsv(100));
      const result = await pool.run('csvToJson', transfer(csv));
      assert.equal(csv.byteLength, 0, 'the sender no longer holds the CSV bytes: they were moved');
      assert.equal(result.rowCount, 100);
      assert.equal(result.json.byteLength, result.json.buffer.byteLength, 'the JSON arrived as a whole buffer of its own');
      assert.equal((JSON.parse(new TextDecoder().decode(result.json)) as CsvAnswer).records.length, 100);
    } finally {
      await pool.close();
    }
  });
});
