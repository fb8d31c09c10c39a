import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type SealedRow, Secrets } from '#core';

/** TOTP seeds are sealed under this purpose, each bound to its customer's row. */
export const TOTP_PURPOSE = 'totp';

/**
 * The identity module's keys. Each sandbox signs with its own key: a token
 * minted for one sandbox is worthless in another.
 */
@Injectable()
export class Keyring {
  constructor(private readonly secrets: Secrets) {}

  accessTokenKey(sandboxId: string): Buffer {
    return this.secrets.derive(`access-token/${sandboxId}`);
  }

  /** Keyed hash of a short code (a 6-digit OTP): a leaked table cannot be brute-forced offline. */
  codeHash(challengeId: string, code: string): string {
    return createHmac('sha256', this.secrets.derive('challenge-code')).update(`${challengeId}:${code}`).digest('hex');
  }

  codeMatches(challengeId: string, code: string, expectedHash: string): boolean {
    const actual = Buffer.from(this.codeHash(challengeId, code), 'hex');
    const expected = Buffer.from(expectedHash, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** A TOTP seed, sealed to its customer: copied to another customer's row it does not open. */
  seal(user: SealedRow, plaintext: string): string {
    return this.secrets.seal(TOTP_PURPOSE, user, plaintext);
  }

  open(user: SealedRow, sealed: string): string {
    return this.secrets.open(TOTP_PURPOSE, user, sealed);
  }
}
