// tasks.mjs
import { gzipSync } from 'node:zlib';
import { transfer } from 'spindle/worker';

export function gzip(data) {
  return transfer(gzipSync(data)); // moved back to the caller, not copied
}
