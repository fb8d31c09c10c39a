import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sha256Hex } from '#core';
import { createApi } from '../../apps/api/src/create-api.js';
import { Customers, newIdentity } from '../support/customers.js';
import { HttpClient, type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

/** The key ids of a sandbox, by kind, as its operator lists them. */
async function keyIds(sandbox: SandboxKeys): Promise<{ secret: string; publishable: string }> {
  const listed = await h.get('/v1/sandbox/keys', { token: sandbox.secretKey });
  expect(listed.status).toBe(200);
  const id = (kind: string) => listed.body.data.find((key: { kind: string }) => key.kind === kind).id as string;
  return { secret: id('secret'), publishable: id('publishable') };
}

function expectRefused(reply: { status: number; body: { code: string }; headers: Headers }): void {
  expect([reply.status, reply.body.code]).toEqual([401, 'unauthenticated']);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
}

describe('sandbox keys', () => {
  test('a rolled secret key is refused at once; its replacement, shown once and stored only as a hash, works', async () => {
    const sandbox = await h.createSandbox();
    const ids = await keyIds(sandbox);
    const rolled = await h.post(`/v1/sandbox/keys/${ids.secret}/roll`, undefined, { token: sandbox.secretKey });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({ kind: 'secret', key: expect.stringMatching(/^sk_test_[0-9A-Za-z]{32}$/), revokedAt: null });
    expect(rolled.body.replaces).toMatchObject({ id: ids.secret, kind: 'secret', revokedAt: expect.any(String) });

    expectRefused(await h.get('/v1/sandbox/clock', { token: sandbox.secretKey }));
    expect((await h.get('/v1/sandbox/clock', { token: rolled.body.key })).status).toBe(200);
    const stored = await h.db.rows<{ key_hash: string }>(`SELECT key_hash FROM sandbox_api_keys WHERE id = $1`, [rolled.body.id]);
    expect(stored).toEqual([{ key_hash: sha256Hex(rolled.body.key) }]);
    expect(JSON.stringify(await h.db.rows(`SELECT * FROM sandbox_api_keys WHERE sandbox_id = $1`, [sandbox.id]))).not.toContain(
      rolled.body.key.slice(12),
    );
    // The old key is gone from the list; the new one is there.
    const listed = await h.get('/v1/sandbox/keys', { token: rolled.body.key });
    expect(listed.body.data.map((key: { id: string }) => key.id).sort()).toEqual([rolled.body.id, ids.publishable].sort());
  });

  test('a roll with a grace period: both keys work until it ends, a retry replays the same new key, a second roll is refused and a revoke ends the grace at once', async () => {
    const sandbox = await h.createSandbox();
    const ids = await keyIds(sandbox);
    const roll = () =>
      h.post(`/v1/sandbox/keys/${ids.secret}/roll`, { expiresInSeconds: 3_600 }, { token: sandbox.secretKey, idempotencyKey: 'roll-1' });
    const rolled = await roll();
    expect(rolled.status).toBe(201);
    const stops = Date.parse(rolled.body.replaces.revokedAt);
    expect(Math.abs(stops - Date.now() - 3_600_000)).toBeLessThan(60_000);
    expect((await h.get('/v1/sandbox/clock', { token: sandbox.secretKey })).status).toBe(200);
    expect((await h.get('/v1/sandbox/clock', { token: rolled.body.key })).status).toBe(200);

    // A lost answer is asked again with the same Idempotency-Key: the same new key, and no other issued.
    const again = await roll();
    expect([again.status, again.body.key, again.headers.get('idempotent-replayed')]).toEqual([201, rolled.body.key, 'true']);
    const [{ n }] = await h.db.rows<{ n: number }>(`SELECT count(*)::int AS n FROM sandbox_api_keys WHERE sandbox_id = $1`, [sandbox.id]);
    expect(n).toBe(3);

    const twice = await h.post(`/v1/sandbox/keys/${ids.secret}/roll`, undefined, { token: rolled.body.key });
    expect([twice.status, twice.body.code]).toEqual([409, 'key_rolled']);

    const revoked = await h.post(`/v1/sandbox/keys/${ids.secret}/revoke`, undefined, { token: rolled.body.key });
    expect(revoked.status).toBe(200);
    expect(Date.parse(revoked.body.revokedAt)).toBeLessThan(stops);
    expectRefused(await h.get('/v1/sandbox/clock', { token: sandbox.secretKey }));
  });

  test('a grace period ends on time, in real time', async () => {
    const sandbox = await h.createSandbox();
    const ids = await keyIds(sandbox);
    // The sandbox clock a day ahead moves nothing: a grace period is real time.
    await h.post('/v1/sandbox/clock/advance', { seconds: 86_400 }, { token: sandbox.secretKey });
    const rolled = await h.post(`/v1/sandbox/keys/${ids.secret}/roll`, { expiresInSeconds: 3 }, { token: sandbox.secretKey });
    const stops = Date.parse(rolled.body.replaces.revokedAt);
    expect((await h.get('/v1/sandbox/clock', { token: sandbox.secretKey })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, stops + 300 - Date.now()));
    expectRefused(await h.get('/v1/sandbox/clock', { token: sandbox.secretKey }));
    expect((await h.get('/v1/sandbox/clock', { token: rolled.body.key })).status).toBe(200);
  });

  test('a rolled or revoked publishable key is refused to customer apps at once', async () => {
    const sandbox = await h.createSandbox();
    const ids = await keyIds(sandbox);
    const register = (publishableKey: string) => {
      const { email, password, phone } = newIdentity();
      return h.post('/v1/auth/register', { email, password, phone }, { headers: { 'x-publishable-key': publishableKey } });
    };

    const rolled = await h.post(`/v1/sandbox/keys/${ids.publishable}/roll`, undefined, { token: sandbox.secretKey });
    expect(rolled.body.key).toMatch(/^pk_test_[0-9A-Za-z]{32}$/);
    expectRefused(await register(sandbox.publishableKey));
    expect((await register(rolled.body.key)).status).toBe(201);

    const revoked = await h.post(`/v1/sandbox/keys/${rolled.body.id}/revoke`, undefined, { token: sandbox.secretKey });
    expect(revoked.status).toBe(200);
    expectRefused(await register(rolled.body.key));
  });

  test('the last secret key that does not expire cannot be revoked, only rolled', async () => {
    const sandbox = await h.createSandbox();
    const ids = await keyIds(sandbox);
    const refused = await h.post(`/v1/sandbox/keys/${ids.secret}/revoke`, undefined, { token: sandbox.secretKey });
    expect([refused.status, refused.body.code]).toEqual([409, 'last_secret_key']);
    expect((await h.get('/v1/sandbox/clock', { token: sandbox.secretKey })).status).toBe(200);
  });

  test('the platform admin gives an operator who lost the secret key a new one; the operator then revokes the old', async () => {
    const sandbox = await h.createSandbox();
    const ids = await keyIds(sandbox);
    const issued = await h.post(`/v1/sandboxes/${sandbox.id}/secret-keys`, undefined, { token: h.adminToken });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ kind: 'secret', key: expect.stringMatching(/^sk_test_[0-9A-Za-z]{32}$/), revokedAt: null });
    const revoked = await h.post(`/v1/sandbox/keys/${ids.secret}/revoke`, undefined, { token: issued.body.key });
    expect(revoked.status).toBe(200);
    expectRefused(await h.get('/v1/sandbox/clock', { token: sandbox.secretKey }));

    const unknown = await h.post('/v1/sandboxes/sbx_nope/secret-keys', undefined, { token: h.adminToken });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    // Only the admin: an operator's key, even this sandbox's, cannot mint secret keys this way.
    const byOperator = await h.post(`/v1/sandboxes/${sandbox.id}/secret-keys`, undefined, { token: issued.body.key });
    expect([byOperator.status, byOperator.body.code]).toEqual([403, 'forbidden']);
  });

  test("bad input and unknown or other sandboxes' keys are refused with problems, and change nothing", async () => {
    const sandbox = await h.createSandbox();
    const other = await h.createSandbox();
    const theirs = await keyIds(other);
    const mine = await keyIds(sandbox);
    const as = { token: sandbox.secretKey };
    const cases: Array<[string, unknown, number, string]> = [
      [`/v1/sandbox/keys/${theirs.secret}/roll`, undefined, 404, 'not_found'],
      [`/v1/sandbox/keys/${theirs.publishable}/revoke`, undefined, 404, 'not_found'],
      ['/v1/sandbox/keys/key_nope/roll', undefined, 404, 'not_found'],
      [`/v1/sandbox/keys/${'k'.repeat(300)}/revoke`, undefined, 404, 'not_found'],
      [`/v1/sandbox/keys/${mine.secret}/roll`, { expiresInSeconds: -1 }, 400, 'invalid_request'],
      [`/v1/sandbox/keys/${mine.secret}/roll`, { expiresInSeconds: 7 * 86_400 + 1 }, 400, 'invalid_request'],
      [`/v1/sandbox/keys/${mine.secret}/roll`, { expiresInSeconds: '60' }, 400, 'invalid_request'],
      [`/v1/sandbox/keys/${mine.secret}/roll`, { expiresInSeconds: 60, kind: 'secret' }, 400, 'invalid_request'],
      [`/v1/sandbox/keys/${mine.publishable}/revoke`, { now: true }, 400, 'invalid_request'],
    ];
    for (const [path, body, status, code] of cases) {
      const reply = await h.post(path, body, as);
      expect({ path, body, status: reply.status, code: reply.body.code }).toEqual({ path, body, status, code });
    }
    // A publishable key or a customer cannot roll keys.
    expect(
      (await h.post(`/v1/sandbox/keys/${mine.secret}/roll`, undefined, { headers: { 'x-publishable-key': sandbox.publishableKey } }))
        .status,
    ).toBe(401);
    for (const keys of [sandbox, other]) {
      expect((await h.get('/v1/sandbox/clock', { token: keys.secretKey })).status).toBe(200);
      expect((await h.get('/v1/sandbox/keys', { token: keys.secretKey })).body.data).toHaveLength(2);
    }
  });
});

describe('store keys', () => {
  let second: NestFastifyApplication;
  let elsewhere: HttpClient;

  // Another api process, with its own cache of register keys and its own notice connection.
  beforeAll(async () => {
    second = await createApi({ dashboards: false });
    await second.listen(0, '127.0.0.1');
    elsewhere = new HttpClient(await second.getUrl());
  });
  afterAll(async () => {
    await second?.close();
  });

  async function openStore(sandbox: SandboxKeys): Promise<{ id: string; apiKey: string; keyId: string }> {
    const store = await h.post('/v1/stores', { name: 'Ginza' }, { token: sandbox.secretKey });
    const keys = await h.get(`/v1/stores/${store.body.id}/keys`, { token: sandbox.secretKey });
    expect(keys.body.data).toHaveLength(1);
    return { id: store.body.id, apiKey: store.body.apiKey, keyId: keys.body.data[0].id };
  }

  test('a revoked register key is refused at once by every api process, even one that had it cached', async () => {
    const sandbox = await h.createSandbox();
    const store = await openStore(sandbox);
    const asRegister = { token: store.apiKey };
    // Both processes now hold the key in their caches.
    expect((await h.get('/v1/payments', asRegister)).status).toBe(200);
    expect((await elsewhere.get('/v1/payments', asRegister)).status).toBe(200);

    const revoked = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/revoke`, undefined, { token: sandbox.secretKey });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: store.keyId, storeId: store.id, revokedAt: expect.any(String) });
    expectRefused(await h.get('/v1/payments', asRegister));
    // The other process hears of it as a notice: within the moment one takes to arrive, never the cache's minute.
    const deadline = Date.now() + 2_000;
    let answer = await elsewhere.get('/v1/payments', asRegister);
    while (answer.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await elsewhere.get('/v1/payments', asRegister);
    }
    expectRefused(answer);
    const again = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/revoke`, undefined, { token: sandbox.secretKey });
    expect([again.status, again.body.code]).toEqual([404, 'not_found']);
  });

  test('a rolled register key: the new one (shown once, stored hashed) takes payments, the old one is refused in every process', async () => {
    const sandbox = await h.createSandbox();
    const store = await openStore(sandbox);
    expect((await elsewhere.get('/v1/payments', { token: store.apiKey })).status).toBe(200);

    const rolled = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/roll`, {}, { token: sandbox.secretKey });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({ storeId: store.id, apiKey: expect.stringMatching(/^stk_test_[0-9A-Za-z]{32}$/), revokedAt: null });
    expect(rolled.body.replaces).toMatchObject({ id: store.keyId, revokedAt: expect.any(String) });
    const [row] = await h.db.rows<{ key_hash: string }>(`SELECT key_hash FROM capture_store_keys WHERE id = $1`, [rolled.body.id]);
    expect(row.key_hash).toBe(sha256Hex(rolled.body.apiKey));

    expectRefused(await h.get('/v1/payments', { token: store.apiKey }));
    const deadline = Date.now() + 2_000;
    let answer = await elsewhere.get('/v1/payments', { token: store.apiKey });
    while (answer.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await elsewhere.get('/v1/payments', { token: store.apiKey });
    }
    expectRefused(answer);
    expect((await elsewhere.get('/v1/payments', { token: rolled.body.apiKey })).status).toBe(200);

    const customer = await new Customers(h, sandbox).onboard();
    await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 1_000 }, { token: sandbox.secretKey });
    const code = (await h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken })).body.code;
    expect((await h.post('/v1/payments', { code, amount: 100 }, { token: rolled.body.apiKey })).status).toBe(201);
  });

  test('a register key whose grace period ends is refused then by a process that had it cached', async () => {
    const sandbox = await h.createSandbox();
    const store = await openStore(sandbox);
    const rolled = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/roll`, { expiresInSeconds: 2 }, { token: sandbox.secretKey });
    const stops = Date.parse(rolled.body.replaces.revokedAt);
    // Cached after the roll's notice, in its grace period.
    expect((await elsewhere.get('/v1/payments', { token: store.apiKey })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, stops + 300 - Date.now()));
    expectRefused(await elsewhere.get('/v1/payments', { token: store.apiKey }));
    expectRefused(await h.get('/v1/payments', { token: store.apiKey }));
  });

  test("a store key roll with a grace period keeps the old key until then; another sandbox's operator reaches neither", async () => {
    const sandbox = await h.createSandbox();
    const other = await h.createSandbox();
    const store = await openStore(sandbox);
    const asOther = { token: other.secretKey };
    for (const reply of [
      await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/roll`, undefined, asOther),
      await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/revoke`, undefined, asOther),
      await h.get(`/v1/stores/${store.id}/keys`, asOther),
    ]) {
      expect([reply.status, reply.body.code]).toEqual([404, 'not_found']);
    }
    const bad = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/roll`, { expiresInSeconds: 1.5 }, { token: sandbox.secretKey });
    expect([bad.status, bad.body.code]).toEqual([400, 'invalid_request']);

    const rolled = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/roll`, { expiresInSeconds: 600 }, { token: sandbox.secretKey });
    expect(rolled.status).toBe(201);
    expect((await h.get('/v1/payments', { token: store.apiKey })).status).toBe(200);
    expect((await elsewhere.get('/v1/payments', { token: store.apiKey })).status).toBe(200);
    const keys = await h.get(`/v1/stores/${store.id}/keys`, { token: sandbox.secretKey });
    expect(keys.body.data.map((key: { id: string }) => key.id)).toEqual([rolled.body.id, store.keyId]);
    const twice = await h.post(`/v1/stores/${store.id}/keys/${store.keyId}/roll`, undefined, { token: sandbox.secretKey });
    expect([twice.status, twice.body.code]).toEqual([409, 'key_rolled']);
  });
});
