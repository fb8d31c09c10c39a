import { createHmac, timingSafeEqual } from 'node:crypto';

// Plain node:crypto, no framework: the CLI and receivers' tests import this file on its own.

export const SIGNATURE_HEADER = 'Wallet-Signature';
/** How far a signature's timestamp may be from the receiver's clock; older deliveries are refused as replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `<t>.<raw body>` with the secret (its UTF-8 bytes, `whsec_` prefix included) as the key. */
export function sign(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** `t=<unix seconds>,v1=<hex>`, one `v1` per secret: during a rotation's overlap, the new secret's first. */
export function signatureHeader(timestamp: number, body: string, secrets: readonly string[]): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${sign(secret, timestamp, body)}`)].join(',');
}

export type VerificationFailure = 'malformed_header' | 'timestamp_outside_tolerance' | 'no_matching_signature';

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: VerificationFailure };

/**
 * What a receiver does with a delivery: some `v1` must be the HMAC of the
 * raw body under its secret, and `t` must be within the tolerance of its
 * clock, so a captured delivery cannot be replayed later.
 */
export function verifySignature(input: {
  body: string | Buffer;
  header: string;
  secret: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): Verification {
  const parts = input.header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value);
  const signatures = parts.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')).map(([, value]) => value);
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0] ?? '') || signatures.length === 0) {
    return { ok: false, reason: 'malformed_header' };
  }
  const timestamp = Number(timestamps[0]);
  const expected = Buffer.from(sign(input.secret, timestamp, input.body), 'hex');
  if (!signatures.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected))) {
    return { ok: false, reason: 'no_matching_signature' };
  }
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'timestamp_outside_tolerance' };
  }
  return { ok: true, timestamp };
}
