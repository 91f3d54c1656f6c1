import type { Invoice } from '../work/invoice-pdf.js';

const PRODUCTS = ['Consulting, senior engineer (hours)', 'Load testing workshop', 'Cloud hosting, m6i.large (month)', 'Support plan, business tier', 'Data migration', 'Code review (hours)', 'Incident response retainer', 'Training seat, Node.js performance'];

/** A plausible invoice with `lineCount` line items, the same every time for a given count. */
export function makeSampleInvoice(lineCount: number, number = 'INV-2025-0042'): Invoice {
  return {
    number,
    issuedOn: '2025-03-31',
    currency: 'EUR',
    seller: { name: 'Spindle Consulting GmbH', address: 'Torstraße 1\n10119 Berlin\nGermany' },
    customer: { name: 'Acme Widgets Ltd', address: '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom' },
    taxRate: 0.19,
    lines: Array.from({ length: lineCount }, (_, index) => ({
      description: `${PRODUCTS[index % PRODUCTS.length] ?? 'Item'} #${String(index + 1)}`,
      quantity: (index % 9) + 1,
      unitPrice: Math.round((40 + ((index * 37) % 460) + 0.5) * 100) / 100,
    })),
  };
}
