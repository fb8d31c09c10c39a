import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Secrets } from '#core';

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

  seal(plaintext: string): string {
    return this.secrets.seal('totp', plaintext);
  }

  open(sealed: string): string {
    return this.secrets.open('totp', sealed);
  }
}
