import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeSampleInvoice } from '../../demo/samples/sample-invoice.js';
import { postJson, startService, type RunningService } from './service-harness.js';

/** The page count a PDF declares in its page tree, and the page objects it actually has. */
function pdfPages(pdf: Buffer): { declared: number; objects: number } {
  const text = pdf.toString('latin1');
  const declared = Number(/\/Type \/Pages\s+\/Count (\d+)/.exec(text)?.[1] ?? /\/Count (\d+)/.exec(text)?.[1] ?? Number.NaN);
  const objects = text.match(/\/Type \/Page(?!s)/g)?.length ?? 0;
  return { declared, objects };
}

describe('POST /invoices', () => {
  let running: RunningService;
  before(async () => {
    running = await startService();
  });
  after(() => running.close());

  it('answers a well-formed PDF: header, cross-reference table, trailer and end-of-file marker', async () => {
    const response = await postJson(`${running.url}/invoices`, makeSampleInvoice(20, 'INV-7'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('content-disposition'), 'inline; filename="invoice-INV-7.pdf"');
    const pdf = Buffer.from(await response.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const tail = pdf.subarray(-64).toString('latin1');
    assert.match(tail, /startxref\s+\d+\s+%%EOF\s*$/);
    const crossReferenceOffset = Number(/startxref\s+(\d+)/.exec(tail)?.[1]);
    assert.equal(pdf.subarray(crossReferenceOffset, crossReferenceOffset + 4).toString('latin1'), 'xref');
    assert.match(pdf.toString('latin1'), /trailer\s*<<[^]*\/Root/);
  });

  it('fits a short invoice on one page and breaks a long one across several', async () => {
    const short = Buffer.from(await (await postJson(`${running.url}/invoices`, makeSampleInvoice(5))).arrayBuffer());
    const long = Buffer.from(await (await postJson(`${running.url}/invoices`, makeSampleInvoice(150))).arrayBuffer());
    assert.deepEqual(pdfPages(short), { declared: 1, objects: 1 });
    const longPages = pdfPages(long);
    assert.equal(longPages.objects, longPages.declared);
    assert.ok(longPages.declared >= 4 && longPages.declared <= 6, `150 lines at ~40 a page should take 4 to 6 pages, got ${String(longPages.declared)}`);
    assert.ok(long.length > short.length);
  });

  it('rejects an invoice without line items with 400 and never sends it to the pool', async () => {
    const submittedBefore = running.service.runner.stats()?.submitted;
    const response = await postJson(`${running.url}/invoices`, { ...makeSampleInvoice(1), lines: [] });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /lines/);
    assert.equal(running.service.runner.stats()?.submitted, submittedBefore);
  });

  it('rejects a currency that is not a three-letter code with 400', async () => {
    const response = await postJson(`${running.url}/invoices`, { ...makeSampleInvoice(1), currency: 'euro' });
    assert.equal(response.status, 400);
  });
});
