import type { FastifyInstance } from 'fastify';
import type { Invoice } from '../../work/invoice-pdf.js';
import type { TaskRunner } from '../task-runner.js';

const party = {
  type: 'object',
  required: ['name', 'address'],
  properties: { name: { type: 'string', maxLength: 200 }, address: { type: 'string', maxLength: 500 } },
} as const;

const invoiceSchema = {
  type: 'object',
  required: ['number', 'issuedOn', 'currency', 'seller', 'customer', 'lines'],
  properties: {
    number: { type: 'string', minLength: 1, maxLength: 64 },
    issuedOn: { type: 'string', maxLength: 32 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    seller: party,
    customer: party,
    taxRate: { type: 'number', minimum: 0, maximum: 1, default: 0 },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 5000,
      items: {
        type: 'object',
        required: ['description', 'quantity', 'unitPrice'],
        properties: {
          description: { type: 'string', maxLength: 300 },
          quantity: { type: 'number', minimum: 0 },
          unitPrice: { type: 'number' },
        },
      },
    },
  },
} as const;

/** `POST /invoices`: JSON line items in, a PDF out. */
export function registerInvoiceRoutes(app: FastifyInstance, runner: TaskRunner): void {
  app.post<{ Body: Invoice }>('/invoices', { schema: { body: invoiceSchema } }, async (request, reply) => {
    const pdf = await runner.run('renderInvoice', request.body);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="invoice-${encodeURIComponent(request.body.number)}.pdf"`)
      .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
  });
}
