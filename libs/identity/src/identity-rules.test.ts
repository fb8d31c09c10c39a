import { describe, expect, test } from '@jest/globals';
import { deviceFamily, networkOf, networksOf } from './client-facts.js';
import { PASSWORD_MAX_LENGTH, PasswordHasher, commonPasswordCount, passwordProblem } from './passwords.js';

describe('password policy', () => {
  test('length counts characters, not bytes, from 8 to 256', () => {
    expect(passwordProblem('七文字のパスワ', 'hardened')?.message).toMatch(/at least 8/);
    expect(passwordProblem('八文字のパスワード', 'hardened')).toBeNull();
    expect(passwordProblem('z'.repeat(PASSWORD_MAX_LENGTH), 'hardened')).toBeNull();
    expect(passwordProblem('z'.repeat(PASSWORD_MAX_LENGTH + 1), 'hardened')?.message).toMatch(/at most/);
  });

  test('common passwords are refused on hardened only, whatever their case', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
    expect(passwordProblem('Sunshine1', 'hardened')?.field).toBe('password');
    expect(passwordProblem('QWERTYUIOP', 'hardened')).not.toBeNull();
    expect(passwordProblem('QWERTYUIOP', 'legacy-2019')).toBeNull();
  });

  test('no composition rules: a long lowercase phrase is fine', () => {
    expect(passwordProblem('correct horse battery staple', 'hardened')).toBeNull();
  });
});

describe('networks for throttling', () => {
  test('IPv4 by /24, IPv6 by /64, IPv4-mapped IPv6 as IPv4', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(networkOf('not an ip')).toBe('not an ip');
  });

  test('IPv6 also by /56 and /48, narrowest first: a /48 holds 65,536 /64s', () => {
    expect(networksOf('2001:db8:1:2:3:4:5:6')).toEqual([
      { prefix: 64, network: '2001:db8:1:2::/64' },
      { prefix: 56, network: '2001:db8:1::/56' },
      { prefix: 48, network: '2001:db8:1::/48' },
    ]);
    expect(networksOf('2001:db8:1:2ff::1').map(({ network }) => network)).toEqual([
      '2001:db8:1:2ff::/64',
      '2001:db8:1:200::/56',
      '2001:db8:1::/48',
    ]);
    expect(networksOf('203.0.113.77')).toEqual([{ prefix: 24, network: '203.0.113.0/24' }]);
  });
});

describe('password hashes', () => {
  test('a wrong password is false; a stored hash that is not argon2 is an error, never a wrong password', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('sbx_a', 'correct horse battery');
    expect(await hasher.verify('sbx_a', stored, 'correct horse battery')).toBe(true);
    expect(await hasher.verify('sbx_a', stored, 'wrong horse battery')).toBe(false);
    await expect(hasher.verify('sbx_a', '$2b$10$not-an-argon2-hash', 'correct horse battery')).rejects.toThrow();
  });
});

describe('what notices say of a device', () => {
  test("browser and system families from a fixed list, never the agent's own words", () => {
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
    expect(deviceFamily(android)).toBe('Chrome on Android');
    expect(deviceFamily('curl/8.4.0')).toBeNull();
    expect(deviceFamily('Visit-evil.example-to-keep-your-account/1.0 (x)')).toBeNull();
    expect(deviceFamily(null)).toBeNull();
  });
});
