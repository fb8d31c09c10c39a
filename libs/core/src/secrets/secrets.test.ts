import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from '../config/environment.js';
import { Secrets, UnopenableSecret } from './secrets.js';

const ADMIN_TOKEN = 'admin-3f9c1e7a5b2d8f4c6e0a9b1d7c3e5f2a';
const KEY_A = 'Zq8mT2vL5xR9cW1nH4bJ7kP0sD3gF6yA-older';
const KEY_B = 'Nf3kX7pQ1zL9vB5mR2tW8cJ4hS6dG0yE-newer';

function secrets(settings: Record<string, string> = {}): Secrets {
  return new Secrets(validateEnvironment({ DATABASE_URL: 'postgres://localhost/x', ADMIN_TOKEN, NODE_ENV: 'test', ...settings }));
}

const row = { sandboxId: 'sbx_1', id: 'usr_1' };

/** A value as this project sealed it before keys had versions: no key id, no associated data, the key derived from ADMIN_TOKEN. */
function sealedTheOldWay(purpose: string, plaintext: string): string {
  const master = Buffer.from(hkdfSync('sha256', ADMIN_TOKEN, 'wallet-sandbox', 'identity-master', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHmac('sha256', master).update(`${purpose}-seal`).digest(), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

describe('sealing', () => {
  test('a sealed value names the version of the key that sealed it and opens again', () => {
    const keys = secrets({ SECRETS_KEY: KEY_A });
    const sealed = keys.seal('totp', row, 'JBSWY3DPEHPK3PXP');
    expect(sealed.startsWith(`v1.${keys.keyId}.`)).toBe(true);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.open('totp', row, sealed)).toBe('JBSWY3DPEHPK3PXP');
  });

  test('a sealed value is bound to its row and purpose: copied to another row it does not open', () => {
    const keys = secrets({ SECRETS_KEY: KEY_A });
    const sealed = keys.seal('totp', row, 'JBSWY3DPEHPK3PXP');
    expect(() => keys.open('totp', { ...row, id: 'usr_2' }, sealed)).toThrow(UnopenableSecret);
    expect(() => keys.open('totp', { ...row, sandboxId: 'sbx_2' }, sealed)).toThrow(UnopenableSecret);
    expect(() => keys.open('payment-code', row, sealed)).toThrow(UnopenableSecret);
  });

  test('an altered or truncated value does not open', () => {
    const keys = secrets({ SECRETS_KEY: KEY_A });
    const [format, keyId, iv, tag, body] = keys.seal('totp', row, 'JBSWY3DPEHPK3PXP').split('.');
    const shortTag = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => keys.open('totp', row, [format, keyId, iv, shortTag, body].join('.'))).toThrow(UnopenableSecret);
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => keys.open('totp', row, [format, keyId, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(UnopenableSecret);
  });

  test('values sealed before keys had versions still open, whatever SECRETS_KEY is', () => {
    const old = sealedTheOldWay('webhook-signing-secret', 'whsec_abc');
    expect(secrets().open('webhook-signing-secret', row, old)).toBe('whsec_abc');
    expect(secrets({ SECRETS_KEY: KEY_B }).open('webhook-signing-secret', row, old)).toBe('whsec_abc');
  });
});

describe('rotation', () => {
  test('after a rotation what the old key sealed opens while the old key is listed, and is re-sealed under the new one', () => {
    const sealedByA = secrets({ SECRETS_KEY: KEY_A }).seal('refund-bank-account', row, '{"accountNumber":"1234567"}');
    const rotated = secrets({ SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: KEY_A });
    expect(rotated.open('refund-bank-account', row, sealedByA)).toBe('{"accountNumber":"1234567"}');

    const resealed = rotated.reseal('refund-bank-account', row, sealedByA)!;
    expect(resealed.startsWith(`v1.${rotated.keyId}.`)).toBe(true);
    expect(rotated.reseal('refund-bank-account', row, resealed)).toBeNull();
    // Once re-sealed, the old key may go.
    const onlyB = secrets({ SECRETS_KEY: KEY_B });
    expect(onlyB.open('refund-bank-account', row, resealed)).toBe('{"accountNumber":"1234567"}');
    expect(() => onlyB.open('refund-bank-account', row, sealedByA)).toThrow(/neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/);
  });

  test('legacy values are re-sealed too', () => {
    const keys = secrets({ SECRETS_KEY: KEY_B });
    const resealed = keys.reseal('totp', row, sealedTheOldWay('totp', 'JBSWY3DPEHPK3PXP'))!;
    expect(resealed.startsWith(`v1.${keys.keyId}.`)).toBe(true);
    expect(keys.open('totp', row, resealed)).toBe('JBSWY3DPEHPK3PXP');
  });

  test('what the development fallback sealed still opens once a SECRETS_KEY is set', () => {
    const sealed = secrets().seal('totp', row, 'JBSWY3DPEHPK3PXP');
    expect(secrets({ SECRETS_KEY: KEY_A }).open('totp', row, sealed)).toBe('JBSWY3DPEHPK3PXP');
  });
});

describe('derived keys', () => {
  test('follow SECRETS_KEY, not ADMIN_TOKEN: a new admin token leaves signing keys alone', () => {
    const before = secrets({ SECRETS_KEY: KEY_A }).derive('access-token/sbx_1');
    const newAdmin = new Secrets(
      validateEnvironment({
        DATABASE_URL: 'postgres://localhost/x',
        ADMIN_TOKEN: 'admin-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
        SECRETS_KEY: KEY_A,
      }),
    ).derive('access-token/sbx_1');
    expect(newAdmin.equals(before)).toBe(true);
    expect(secrets({ SECRETS_KEY: KEY_B }).derive('access-token/sbx_1').equals(before)).toBe(false);
  });

  test('under every key that may open, the current one first, to recognise what an earlier key made', () => {
    const rotated = secrets({ SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: KEY_A }).deriveAll('idempotency-fingerprint');
    expect(rotated[0]).toEqual(secrets({ SECRETS_KEY: KEY_B }).derive('idempotency-fingerprint'));
    expect(rotated).toContainEqual(secrets({ SECRETS_KEY: KEY_A }).derive('idempotency-fingerprint'));
    expect(rotated).toContainEqual(secrets().derive('idempotency-fingerprint'));
  });

  test('without SECRETS_KEY (development and test) they are what they were, so nothing changes for a developer', () => {
    const master = Buffer.from(hkdfSync('sha256', ADMIN_TOKEN, 'wallet-sandbox', 'identity-master', 32));
    expect(secrets().derive('challenge-code')).toEqual(createHmac('sha256', master).update('challenge-code').digest());
  });
});
