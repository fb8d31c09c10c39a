import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';

/**
 * Keys derived from one platform secret (JWT_SECRET, else ADMIN_TOKEN), one
 * per purpose, so every process agrees without sharing key files.
 */
@Injectable()
export class Secrets {
  private readonly master: Buffer;

  constructor(env: Environment) {
    this.master = Buffer.from(hkdfSync('sha256', env.JWT_SECRET ?? env.ADMIN_TOKEN, 'wallet-sandbox', 'identity-master', 32));
  }

  derive(purpose: string): Buffer {
    return createHmac('sha256', this.master).update(purpose).digest();
  }

  /** AES-256-GCM, for the few secrets that must be read back (a TOTP seed, a live payment code). */
  seal(purpose: string, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derive(`${purpose}-seal`), iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
  }

  open(purpose: string, sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.derive(`${purpose}-seal`), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
