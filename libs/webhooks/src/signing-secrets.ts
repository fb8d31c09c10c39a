import { Injectable } from '@nestjs/common';
import { type SealedRow, Secrets, randomSecret } from '#core';
import type { Endpoint } from './endpoints.repository.js';

/** Signing secrets are sealed under this purpose, each bound to its endpoint's row (the previous secret too). */
export const SIGNING_SECRET_PURPOSE = 'webhook-signing-secret';

/**
 * Endpoint signing secrets: shown once, kept sealed (AES-256-GCM) because
 * every delivery must sign with them. 32 base62 characters are also valid
 * base64 (24 bytes, no padding), so the one string serves both schemes:
 * Wallet-Signature keys with the whole string, Standard Webhooks with the
 * bytes its base64 encodes.
 */
export function newSigningSecret(): string {
  return `whsec_${randomSecret(32)}`;
}

@Injectable()
export class SigningSecrets {
  constructor(private readonly secrets: Secrets) {}

  issue(endpoint: SealedRow): { plaintext: string; sealed: string } {
    const plaintext = newSigningSecret();
    return { plaintext, sealed: this.secrets.seal(SIGNING_SECRET_PURPOSE, endpoint, plaintext) };
  }

  /** What a delivery signs with at `now` (sandbox time): the current secret, then the previous one while its overlap lasts. */
  active(endpoint: Endpoint, now: Date): string[] {
    const secrets = [this.secrets.open(SIGNING_SECRET_PURPOSE, endpoint, endpoint.secretSealed)];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
      secrets.push(this.secrets.open(SIGNING_SECRET_PURPOSE, endpoint, endpoint.previousSecretSealed));
    }
    return secrets;
  }
}
