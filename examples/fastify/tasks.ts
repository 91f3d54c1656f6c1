// tasks.ts
import { gzipSync } from 'node:zlib';
import { transfer, type Transferred } from 'spindle/worker';

export function gzip(data: Uint8Array): Transferred<Uint8Array> {
  return transfer(gzipSync(data)); // moved back to the caller, not copied
}
