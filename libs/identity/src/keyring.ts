import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Environment } from '#core';

/**
 * Keys derived from one platform secret (JWT_SECRET, else ADMIN_TOKEN), so
 * every process agrees without sharing key files. Each purpose and each
 * sandbox gets its own key: a token minted for one sandbox is worthless in another.
 */
@Injectable()
export class Keyring {
  private readonly master: Buffer;

  constructor(env: Environment) {
    this.master = Buffer.from(hkdfSync('sha256', env.JWT_SECRET ?? env.ADMIN_TOKEN, 'wallet-sandbox', 'identity-master', 32));
  }

  private derive(purpose: string): Buffer {
    return createHmac('sha256', this.master).update(purpose).digest();
  }

  accessTokenKey(sandboxId: string): Buffer {
    return this.derive(`access-token/${sandboxId}`);
  }

  /** Keyed hash of a short code (a 6-digit OTP): a leaked table cannot be brute-forced offline. */
  codeHash(challengeId: string, code: string): string {
    return createHmac('sha256', this.derive('challenge-code')).update(`${challengeId}:${code}`).digest('hex');
  }

  codeMatches(challengeId: string, code: string, expectedHash: string): boolean {
    const actual = Buffer.from(this.codeHash(challengeId, code), 'hex');
    const expected = Buffer.from(expectedHash, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** AES-256-GCM for the one secret that must be read back: the TOTP seed. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derive('totp-seal'), iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
  }

  open(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.derive('totp-seal'), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
