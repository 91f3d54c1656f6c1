/**
 * One measurement of `npm run bench:shared`, in a fresh process, printed as
 * a JSON line: node build/bench/shared/trial.js --case ring-4k --variant ringbuf.js [--scale 1]
 */
import { parseArgs } from 'node:util';
import { CASES, isCaseName } from './cases.js';

const { values } = parseArgs({ options: { case: { type: 'string' }, variant: { type: 'string' }, scale: { type: 'string', default: '1' } } });
const name = values.case ?? '';
if (!isCaseName(name)) throw new Error(`Unknown case \`${name}\``);
const spec = CASES[name];
const variant = values.variant ?? '';
if (!(spec.variants as readonly string[]).includes(variant)) throw new Error(`Unknown variant \`${variant}\` of ${name}`);
const value = await spec.run(variant, Number(values.scale));
console.log(JSON.stringify({ case: name, variant, value }));
