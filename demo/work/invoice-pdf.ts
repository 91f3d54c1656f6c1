import PDFDocument from 'pdfkit';

export interface InvoiceLine {
  readonly description: string;
  readonly quantity: number;
  /** Price of one unit, in the invoice currency. */
  readonly unitPrice: number;
}

export interface Invoice {
  readonly number: string;
  readonly issuedOn: string;
  readonly currency: string;
  readonly seller: { readonly name: string; readonly address: string };
  readonly customer: { readonly name: string; readonly address: string };
  /** Tax rate as a fraction, e.g. 0.2 for 20 %. */
  readonly taxRate: number;
  readonly lines: readonly InvoiceLine[];
}

const PAGE_MARGIN = 50;
const COLUMN_X = { description: 50, quantity: 330, unitPrice: 390, amount: 470 } as const;
const ROW_HEIGHT = 16;

/**
 * Lays out an invoice as a multi-page A4 PDF (header, customer block, a
 * line-item table that breaks across pages, totals) and returns its bytes.
 * The layout and compression run synchronously on the calling thread; only
 * the hand-over of the finished bytes waits for pdfkit's stream to end.
 */
export function renderInvoicePdf(invoice: Invoice): Promise<Uint8Array> {
  const document = new PDFDocument({ size: 'A4', margin: PAGE_MARGIN, compress: true, info: { Title: `Invoice ${invoice.number}` } });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: invoice.currency });

  writeHeader(document, invoice);
  let y = writeTableHeader(document, 250);
  let subtotal = 0;
  for (const [index, line] of invoice.lines.entries()) {
    if (y > document.page.height - PAGE_MARGIN - 3 * ROW_HEIGHT) {
      document.addPage();
      y = writeTableHeader(document, PAGE_MARGIN);
    }
    const amount = line.quantity * line.unitPrice;
    subtotal += amount;
    if (index % 2 === 1) document.rect(PAGE_MARGIN, y - 3, 495, ROW_HEIGHT).fill('#f3f3f3').fillColor('#000');
    document
      .fontSize(9)
      .text(line.description, COLUMN_X.description, y, { width: 270, lineBreak: false, ellipsis: true })
      .text(String(line.quantity), COLUMN_X.quantity, y, { width: 50, align: 'right' })
      .text(money.format(line.unitPrice), COLUMN_X.unitPrice, y, { width: 70, align: 'right' })
      .text(money.format(amount), COLUMN_X.amount, y, { width: 75, align: 'right' });
    y += ROW_HEIGHT;
  }
  const tax = subtotal * invoice.taxRate;
  if (y > document.page.height - PAGE_MARGIN - 4 * ROW_HEIGHT) {
    document.addPage();
    y = PAGE_MARGIN;
  }
  y += ROW_HEIGHT / 2;
  document.moveTo(COLUMN_X.unitPrice, y).lineTo(545, y).stroke();
  y += ROW_HEIGHT / 2;
  for (const [label, value] of [['Subtotal', subtotal], [`Tax ${String(Math.round(invoice.taxRate * 1000) / 10)} %`, tax], ['Total', subtotal + tax]] as const) {
    document.font(label === 'Total' ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    document.text(label, COLUMN_X.unitPrice - 60, y, { width: 120, align: 'right' });
    document.text(money.format(value), COLUMN_X.amount, y, { width: 75, align: 'right' });
    y += ROW_HEIGHT;
  }
  const finished = new Promise<Uint8Array>((resolve, reject) => {
    document.on('end', () => { resolve(Buffer.concat(chunks)); });
    document.on('error', reject);
  });
  document.end();
  return finished;
}

function writeHeader(document: PDFKit.PDFDocument, invoice: Invoice): void {
  document.font('Helvetica-Bold').fontSize(22).text('INVOICE', PAGE_MARGIN, PAGE_MARGIN);
  document.font('Helvetica').fontSize(10)
    .text(`Number: ${invoice.number}`, 350, PAGE_MARGIN, { width: 195, align: 'right' })
    .text(`Issued: ${invoice.issuedOn}`, 350, PAGE_MARGIN + 14, { width: 195, align: 'right' });
  document.font('Helvetica-Bold').text('From', PAGE_MARGIN, 110).font('Helvetica').text(invoice.seller.name).text(invoice.seller.address, { width: 220 });
  document.font('Helvetica-Bold').text('Bill to', 320, 110).font('Helvetica').text(invoice.customer.name, 320).text(invoice.customer.address, 320, undefined, { width: 220 });
}

function writeTableHeader(document: PDFKit.PDFDocument, y: number): number {
  document.font('Helvetica-Bold').fontSize(9)
    .text('Description', COLUMN_X.description, y)
    .text('Qty', COLUMN_X.quantity, y, { width: 50, align: 'right' })
    .text('Unit price', COLUMN_X.unitPrice, y, { width: 70, align: 'right' })
    .text('Amount', COLUMN_X.amount, y, { width: 75, align: 'right' });
  document.moveTo(PAGE_MARGIN, y + 12).lineTo(545, y + 12).stroke();
  document.font('Helvetica');
  return y + ROW_HEIGHT + 2;
}
