import { createHmac, timingSafeEqual } from 'node:crypto';

// Plain node:crypto, no framework: the CLI and receivers' tests import this file on its own.

export const SIGNATURE_HEADER = 'Wallet-Signature';
/** The Standard Webhooks headers (standardwebhooks.com), sent beside Wallet-Signature. */
export const STANDARD_WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;
/** How far a signature's timestamp may be from the receiver's clock; older deliveries are refused as replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** Hex HMAC-SHA256 of `<t>.<raw body>` with the secret (its UTF-8 bytes, `whsec_` prefix included) as the key. */
export function sign(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * The key Standard Webhooks signs with: the bytes that the base64 after
 * `whsec_` encodes. Node decodes base64 leniently and the libraries do not,
 * so a secret they would refuse is refused here rather than signed with a
 * key no receiver could reproduce.
 */
function standardKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0 || key.toString('base64') !== encoded) {
    throw new Error('A Standard Webhooks signing secret is whsec_ followed by base64');
  }
  return key;
}

/** Base64 HMAC-SHA256 of `<id>.<timestamp>.<raw body>`. */
function signStandard(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/**
 * Every signature header of one delivery, for each secret in the order
 * given (during a rotation's overlap, the new secret's first):
 * `Wallet-Signature: t=<timestamp>,v1=<hex>,…` (Stripe's scheme) and the
 * Standard Webhooks trio `webhook-id`, `webhook-timestamp` (the same
 * seconds as `t`) and `webhook-signature: v1,<base64> …`.
 */
export function deliveryHeaders(input: {
  /** What identifies the message across its retries and redeliveries (the sender gives the event id). */
  id: string;
  /** Unix seconds of sending, real time: receivers compare it with their own clock. */
  timestamp: number;
  body: string | Buffer;
  secrets: readonly string[];
}): Record<string, string> {
  const { id, timestamp, body, secrets } = input;
  if (secrets.length === 0) throw new Error('A delivery is signed with at least one secret');
  return {
    [SIGNATURE_HEADER]: [`t=${timestamp}`, ...secrets.map((secret) => `v1=${sign(secret, timestamp, body)}`)].join(','),
    [STANDARD_WEBHOOK_HEADERS.id]: id,
    [STANDARD_WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [STANDARD_WEBHOOK_HEADERS.signature]: secrets.map((secret) => `v1,${signStandard(secret, id, timestamp, body)}`).join(' '),
  };
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
