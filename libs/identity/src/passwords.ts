import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { FairConcurrency, type FieldError, type SecurityProfile } from '#core';

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

/**
 * argon2 runs on the process's few hashing threads: at most 4 at once, one
 * sandbox at most 3 of them, so another sandbox's sign-in always finds a
 * thread (legacy-2019 sandboxes, which do not throttle, included). A hash
 * that cannot start within 10 s, or finds 128 of its sandbox's waiting, is
 * refused with 503 `server_busy`.
 */
export const HASHING = { concurrency: 4, perKey: 3, queuedPerKey: 128, waitMs: 10_000 } as const;

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';
  private readonly threads = new FairConcurrency(HASHING);

  async onModuleInit(): Promise<void> {
    // Unknown accounts are checked against this, so they cost the same time as known ones.
    this.dummyHash = await hash('dummy password for unknown accounts', ARGON2);
  }

  /** argon2 runs started in this process (each hash or check is one). */
  get runs(): number {
    return this.threads.runs;
  }

  hash(sandboxId: string, password: string): Promise<string> {
    return this.threads.run(sandboxId, () => hash(password, ARGON2));
  }

  /** A stored hash that is not argon2 is corrupt data: an error, never a mere wrong password. */
  async verify(sandboxId: string, passwordHash: string | null, password: string): Promise<boolean> {
    if (passwordHash === null) {
      await this.threads.run(sandboxId, () => verify(this.dummyHash, password));
      return false;
    }
    return this.threads.run(sandboxId, () => verify(passwordHash, password));
  }
}
