import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from '#core';
import { DeliveryTargets, TargetRefused, isPublicAddress } from './delivery-targets.js';

const BASE = {
  DATABASE_URL: 'postgres://localhost/x',
  REDIS_URL: 'redis://localhost',
  ADMIN_TOKEN: 'k7Qw2Zp9Lm4Xc8Vb1Nr6Ts3Yh5Ug0JdA',
  SECRETS_KEY: 'pR4vN8qL2xT6mZ0cW3bK7hJ1sF5dG9yE',
};
const env = (allow: 'true' | 'false') => validateEnvironment({ ...BASE, WEBHOOK_ALLOW_PRIVATE_TARGETS: allow });

describe('delivery targets', () => {
  test('only globally routable unicast addresses count as public', () => {
    for (const address of ['8.8.8.8', '133.1.2.3', '2a00:1450:4001::1']) expect(isPublicAddress(address)).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '100.64.0.1',
      '169.254.1.1',
      '224.0.0.1',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:10.0.0.1',
      '::',
      'not-an-ip',
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
  });

  test('a delivery connects to the address it checked; private targets pass only where allowed', async () => {
    const strict = new DeliveryTargets(env('false'));
    const lenient = new DeliveryTargets(env('true'));
    for (const targets of [strict, lenient]) targets.useResolver(async () => [{ address: '10.9.8.7', family: 4 }]);
    const url = new URL('https://hooks.example.test:8443/in');
    await expect(strict.resolve(url, AbortSignal.timeout(1_000))).rejects.toBeInstanceOf(TargetRefused);
    await expect(lenient.resolve(url, AbortSignal.timeout(1_000))).resolves.toMatchObject({
      hostname: 'hooks.example.test',
      address: '10.9.8.7',
    });
  });

  test('link-local (cloud metadata), multicast, broadcast, unspecified and reserved addresses are refused even where private targets are allowed', async () => {
    const lenient = new DeliveryTargets(env('true'));
    const never = ['169.254.169.254', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254', '224.0.0.1', 'ff02::1', '255.255.255.255'];
    for (const address of [...never, '0.0.0.0', '::', '240.0.0.1']) {
      lenient.useResolver(async () => [{ address, family: address.includes(':') ? 6 : 4 }]);
      await expect(lenient.resolve(new URL('http://metadata.example.test/'), AbortSignal.timeout(1_000))).rejects.toThrow(
        'never a webhook target',
      );
    }
    await expect(lenient.check('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(TargetRefused);
    lenient.useResolver(async () => [{ address: '127.0.0.1', family: 4 }]);
    await expect(lenient.resolve(new URL('http://localhost:4242/hooks'), AbortSignal.timeout(1_000))).resolves.toMatchObject({
      address: '127.0.0.1',
    });
  });

  test("by default in development, this machine's loopback is a target and private networks are not", async () => {
    const targets = new DeliveryTargets(validateEnvironment({ ...BASE, NODE_ENV: 'development' }));
    targets.useResolver(async () => [{ address: '127.0.0.1', family: 4 }]);
    await expect(targets.resolve(new URL('http://localhost:4242/hooks'), AbortSignal.timeout(1_000))).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    for (const address of ['10.1.2.3', '192.168.0.10', '100.64.0.1', 'fd12::1']) {
      targets.useResolver(async () => [{ address, family: address.includes(':') ? 6 : 4 }]);
      await expect(targets.resolve(new URL('http://lan.example.test/'), AbortSignal.timeout(1_000))).rejects.toThrow(
        'WEBHOOK_ALLOW_PRIVATE_TARGETS=true',
      );
    }
  });

  test('a slow resolver is cut off by the deadline', async () => {
    const targets = new DeliveryTargets(env('false'));
    targets.useResolver(() => new Promise(() => undefined));
    await expect(targets.resolve(new URL('http://slow.example.test/'), AbortSignal.timeout(50))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

test('webhooks reach loopback by default in development and test, public addresses only in production, private networks only when set', () => {
  const reach = (more: Record<string, string>) => validateEnvironment({ ...BASE, ...more }).webhookReach();
  expect(reach({ NODE_ENV: 'development' })).toBe('loopback');
  expect(reach({ NODE_ENV: 'test' })).toBe('loopback');
  expect(reach({ NODE_ENV: 'production' })).toBe('public');
  expect(reach({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })).toBe('private');
  expect(reach({ NODE_ENV: 'development', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' })).toBe('public');
});
