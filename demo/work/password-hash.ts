import bcrypt from 'bcryptjs';

/** bcrypt's cost is log2 of its rounds; 10 is the common production default (~70 ms in pure JS). */
export const DEFAULT_BCRYPT_COST = 10;

export interface PasswordHashRequest {
  readonly password: string;
  readonly cost: number;
}

/** Hashes a password with bcryptjs, synchronously: the CPU time is the point. */
export function hashPasswordWithBcrypt(request: PasswordHashRequest): string {
  return bcrypt.hashSync(request.password, bcrypt.genSaltSync(request.cost));
}
