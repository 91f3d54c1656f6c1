/**
 * One measurement of `npm run bench:shared`, in a fresh process, printed as
 * a JSON line: node build/bench/shared/trial.js --case ring-4k --variant ringbuf.js [--scale 1];
 * `--variant together` measures every variant of a case that has `together` in one trial.
 */
import { parseArgs } from 'node:util';
import { CASES, isCaseName, TOGETHER } from './cases.js';

const { values } = parseArgs({ options: { case: { type: 'string' }, variant: { type: 'string' }, scale: { type: 'string', default: '1' } } });
const name = values.case ?? '';
if (!isCaseName(name)) throw new Error(`Unknown case \`${name}\``);
const spec = CASES[name];
const variant = values.variant ?? '';
if (variant === TOGETHER && 'together' in spec) {
  console.log(JSON.stringify({ case: name, variant, values: await spec.together(Number(values.scale)) }));
} else {
  if (!(spec.variants as readonly string[]).includes(variant)) throw new Error(`Unknown variant \`${variant}\` of ${name}`);
  const value = await spec.run(variant, Number(values.scale));
  console.log(JSON.stringify({ case: name, variant, value }));
}
