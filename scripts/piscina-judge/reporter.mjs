// A node:test reporter for the piscina judge: counts passed, failed and
// skipped tests per file (suites are not counted, as node's own summary does
// not), prints the failures' messages, and writes the tally as JSON to
// PISCINA_JUDGE_RESULTS for scripts/test-piscina.js.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export default async function* reporter(source) {
  const files = new Map();
  const failures = [];
  const tally = (file) => {
    const key = basename(file ?? 'unknown');
    if (!files.has(key)) files.set(key, { passed: 0, failed: 0, skipped: 0 });
    return files.get(key);
  };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    // A file that failed to load or crashed is reported as a test named after its path.
    if (data.nesting === 0 && data.file !== undefined && data.name === data.file) {
      if (event.type === 'test:fail') {
        tally(data.file).failed++;
        failures.push({ file: basename(data.file), name: '(the file itself)', message: String(data.details?.error?.cause ?? data.details?.error?.message ?? '') });
      }
      continue;
    }
    const counts = tally(data.file);
    if (data.skip !== undefined && data.skip !== false) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      const error = data.details?.error;
      const cause = error?.cause ?? error;
      failures.push({ file: basename(data.file ?? ''), name: data.name, message: String(cause?.message ?? cause ?? '').split('\n').slice(0, 3).join(' ') });
    }
  }
  const result = { files: Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b))), failures };
  if (process.env.PISCINA_JUDGE_RESULTS) writeFileSync(process.env.PISCINA_JUDGE_RESULTS, JSON.stringify(result, null, 2));
  yield '';
}
