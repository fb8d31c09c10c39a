import { describe, expect, test } from '@jest/globals';
import { validateEnvironment } from '#core';
import { DeliveryTargets, TargetRefused, isPublicAddress } from './delivery-targets.js';

const env = (allow: 'true' | 'false') =>
  validateEnvironment({
    DATABASE_URL: 'postgres://localhost/x',
    REDIS_URL: 'redis://localhost',
    ADMIN_TOKEN: 'a'.repeat(32),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: allow,
  });

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

  test('link-local addresses, where cloud metadata lives, are refused even where private targets are allowed', async () => {
    const lenient = new DeliveryTargets(env('true'));
    for (const address of ['169.254.169.254', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254']) {
      lenient.useResolver(async () => [{ address, family: address.includes(':') ? 6 : 4 }]);
      await expect(lenient.resolve(new URL('http://metadata.example.test/'), AbortSignal.timeout(1_000))).rejects.toBeInstanceOf(
        TargetRefused,
      );
    }
    await expect(lenient.check('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(TargetRefused);
    lenient.useResolver(async () => [{ address: '127.0.0.1', family: 4 }]);
    await expect(lenient.resolve(new URL('http://localhost:4242/hooks'), AbortSignal.timeout(1_000))).resolves.toMatchObject({
      address: '127.0.0.1',
    });
  });

  test('a slow resolver is cut off by the deadline', async () => {
    const targets = new DeliveryTargets(env('false'));
    targets.useResolver(() => new Promise(() => undefined));
    await expect(targets.resolve(new URL('http://slow.example.test/'), AbortSignal.timeout(50))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

test('private targets are allowed by default in development and test, refused in production', () => {
  const base = { DATABASE_URL: 'postgres://localhost/x', REDIS_URL: 'redis://localhost', ADMIN_TOKEN: 'a'.repeat(32) };
  expect(validateEnvironment({ ...base, NODE_ENV: 'development' }).allowsPrivateWebhookTargets()).toBe(true);
  expect(validateEnvironment({ ...base, NODE_ENV: 'test' }).allowsPrivateWebhookTargets()).toBe(true);
  expect(validateEnvironment({ ...base, NODE_ENV: 'production' }).allowsPrivateWebhookTargets()).toBe(false);
  expect(
    validateEnvironment({ ...base, NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).allowsPrivateWebhookTargets(),
  ).toBe(true);
});
