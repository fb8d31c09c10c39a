import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError, SecurityProfile } from '#core';

/** NIST SP 800-63B: at least 8 (a second factor is always required on hardened), at least 64 allowed, no composition rules. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** zxcvbn-ts's list of the most common passwords from breaches: about 49,000 entries. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'] as string[]);

/** OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane. */
// 2 = Argon2id (the package's enum is a const enum, which isolated modules cannot read).
const ARGON2 = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function commonPasswordCount(): number {
  return COMMON_PASSWORDS.size;
}

/** Why a new password is refused, or null. `legacy-2019` reproduces 7pay's lax policy: no breach check. */
export function passwordProblem(password: string, profile: SecurityProfile, field = 'password'): FieldError | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { field, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` };
  if (length > PASSWORD_MAX_LENGTH) return { field, message: `must be at most ${PASSWORD_MAX_LENGTH} characters` };
  if (profile === 'hardened' && COMMON_PASSWORDS.has(password.toLowerCase())) {
    return { field, message: 'is too common: it appears in lists of breached passwords; choose another' };
  }
  return null;
}

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    // Unknown accounts are checked against this, so they cost the same time as known ones.
    this.dummyHash = await hash('dummy password for unknown accounts', ARGON2);
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2);
  }

  /** A stored hash that is not argon2 is corrupt data: an error, never a mere wrong password. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (passwordHash === null) {
      await verify(this.dummyHash, password);
      return false;
    }
    return verify(passwordHash, password);
  }
}
