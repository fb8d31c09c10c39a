import { describe, expect, test } from '@jest/globals';
import { createWalletSandboxClient, isProblem } from '@wallet-sandbox/client';
import { sha256Hex } from '#core';
import { useHarness } from '../support/harness.js';

const h = useHarness();

describe('@wallet-sandbox/client', () => {
  test('a secret key reads its sandbox and issues publishable keys that work for customers', async () => {
    const sandbox = await h.createSandbox('legacy-2019');
    const secret = createWalletSandboxClient({ baseUrl: h.url, token: sandbox.secretKey });
    const { data: view, response } = await secret.GET('/v1/sandbox');
    expect(response.status).toBe(200);
    expect(view).toEqual({
      id: sandbox.id,
      name: expect.any(String),
      securityProfile: 'legacy-2019',
      simulatedClientIps: false,
      stepUpAllowance: null,
      createdAt: expect.any(String),
      clock: { now: expect.any(String), offsetSeconds: 0 },
    });

    const issued = await secret.POST('/v1/sandbox/publishable-keys');
    expect(issued.response.status).toBe(201);
    const key = issued.data!.publishableKey;
    expect(key).toMatch(/^pk_test_[0-9A-Za-z]{32}$/);
    const [row] = await h.db.rows<{ key_hash: string; kind: string }>(`SELECT key_hash, kind FROM sandbox_api_keys WHERE id = $1`, [
      issued.data!.id,
    ]);
    expect(row).toEqual({ key_hash: sha256Hex(key), kind: 'publishable' });

    // The new key signs customers up in this sandbox; the first one keeps working.
    for (const publishableKey of [key, sandbox.publishableKey]) {
      const customer = createWalletSandboxClient({ baseUrl: h.url, publishableKey });
      const reset = await customer.POST('/v1/auth/password-reset', { body: { email: 'nobody@example.test' } });
      expect(reset.response.status).toBe(202);
    }
  });

  test('refusals arrive as problem+json with their stable code; a publishable key cannot issue keys', async () => {
    const sandbox = await h.createSandbox();
    const customer = createWalletSandboxClient({ baseUrl: h.url, publishableKey: sandbox.publishableKey });
    const refused = await customer.POST('/v1/sandbox/publishable-keys');
    expect(refused.response.status).toBe(401);
    expect(isProblem(refused.error)).toBe(true);
    expect(refused.error).toMatchObject({ code: 'unauthenticated', status: 401 });
    const before = await h.db.rows(`SELECT id FROM sandbox_api_keys WHERE sandbox_id = $1`, [sandbox.id]);
    expect(before).toHaveLength(2);
  });
});
