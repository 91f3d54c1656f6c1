// tasks.ts: the CPU work, on the pool's threads
import { pbkdf2Sync } from 'node:crypto';

export function hashPassword(password: string): string {
  return pbkdf2Sync(password, 'a per-user salt', 20_000, 32, 'sha256').toString('hex');
}
