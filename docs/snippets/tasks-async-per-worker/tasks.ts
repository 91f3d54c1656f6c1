// #region shown
// tasks.ts
import { scrypt } from 'node:crypto';
import { promisify } from 'node:util';

const hash = promisify(scrypt);

/** Awaits libuv's thread pool (as image, compression and crypto bindings do): its worker is free meanwhile. */
export async function derive(password: string): Promise<string> {
  const key = (await hash(password, 'salt', 32)) as Buffer;
  return key.toString('hex');
}
// #endregion
