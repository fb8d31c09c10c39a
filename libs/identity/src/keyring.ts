import { type KeyObject, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type SealedRow, Secrets } from '#core';

/** TOTP seeds are sealed under this purpose, each bound to its customer's row. */
export const TOTP_PURPOSE = 'totp';

/** Sandboxes whose signing key a process keeps at hand. */
const KEYS_KEPT = 10_000;

/**
 * The identity module's keys. Each sandbox signs with its own key: a token
 * minted for one sandbox is worthless in another.
 */
@Injectable()
export class Keyring {
  private readonly accessTokenKeys = new Map<string, KeyObject>();

  constructor(private readonly secrets: Secrets) {}

  /**
   * Kept as a KeyObject: handed a Buffer, jsonwebtoken first tries to parse it as a public key and
   * fails, on every token, which cost a sixth of the api's CPU on the customer's side of a payment.
   */
  accessTokenKey(sandboxId: string): KeyObject {
    let key = this.accessTokenKeys.get(sandboxId);
    if (!key) {
      key = createSecretKey(this.secrets.derive(`access-token/${sandboxId}`));
      if (this.accessTokenKeys.size >= KEYS_KEPT) this.accessTokenKeys.delete(this.accessTokenKeys.keys().next().value as string);
      this.accessTokenKeys.set(sandboxId, key);
    }
    return key;
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
