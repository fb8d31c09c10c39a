import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { isId, newId, randomSecret, secretsEqual, sha256Hex } from './ids.js';

describe('ids', () => {
  test('have the prefix, 26 lowercase base32 characters, and sort by creation time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 10_000 }), (t, dt) => {
        const a = newId('pay', t);
        const b = newId('pay', t + dt);
        expect(isId(a, 'pay')).toBe(true);
        expect(a < b).toBe(true);
      }),
    );
  });

  test('made in one millisecond by one process are unique and keep their order', () => {
    const ids = Array.from({ length: 10_000 }, () => newId('evt', 1_764_000_000_000));
    expect(new Set(ids).size).toBe(10_000);
    expect([...ids].sort()).toEqual(ids);
  });

  test('are told apart from other prefixes and from malformed strings', () => {
    expect(isId(newId('wal'), 'pay')).toBe(false);
    expect(isId('wal_', 'wal')).toBe(false);
    expect(isId(`wal_${'A'.repeat(26)}`, 'wal')).toBe(false);
  });
});

describe('secrets', () => {
  test('are base62 of the asked length and do not repeat', () => {
    const secrets = Array.from({ length: 1_000 }, () => randomSecret(32));
    for (const s of secrets) expect(s).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(new Set(secrets).size).toBe(1_000);
  });

  test('compare equal only when identical, whatever their lengths', () => {
    expect(secretsEqual('sk_test_abc', 'sk_test_abc')).toBe(true);
    expect(secretsEqual('sk_test_abc', 'sk_test_abd')).toBe(false);
    expect(secretsEqual('short', 'a much longer secret')).toBe(false);
  });

  test('hash to SHA-256 hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
