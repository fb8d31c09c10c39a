import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson } from './idempotency.interceptor.js';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => ((a.charCodeAt(0) * seed) % 7) - ((b.charCodeAt(0) * seed) % 7));
    return Object.fromEntries(keys.map((k) => [k, shuffleKeys((value as Record<string, unknown>)[k], seed)]));
  }
  return value;
}

test('the same body with its keys in another order hashes the same', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 100 }), (value, seed) => {
      expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
    }),
  );
});

test('different bodies stay different', () => {
  expect(canonicalJson({ amount: 100 })).not.toBe(canonicalJson({ amount: '100' }));
  expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  expect(canonicalJson(null)).toBe('null');
});
