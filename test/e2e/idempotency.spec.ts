import { beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { IdempotencyStore, Secrets, canonicalJson, validateEnvironment } from '#core';
import { useHarness, type SandboxKeys } from '../support/harness.js';

const h = useHarness();
let sandbox: SandboxKeys;

beforeAll(async () => {
  sandbox = await h.createSandbox();
});

const fund = (walletId: string, amount: number, key?: string) =>
  h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount }, { token: sandbox.secretKey, idempotencyKey: key });

describe('Idempotency-Key', () => {
  test('50 concurrent requests with one key have one effect; every answer is that effect or 409', async () => {
    const wallet = await h.createWallet(sandbox);
    const replies = await Promise.all(Array.from({ length: 50 }, () => fund(wallet, 1_234, 'burst-1')));

    const created = replies.filter((r) => r.status === 201);
    const inProgress = replies.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.text)).size).toBe(1);
    for (const r of inProgress) {
      expect(r.body.code).toBe('idempotency_in_progress');
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }

    const again = await fund(wallet, 1_234, 'burst-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(created[0].text);

    const balance = await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey });
    expect(balance.body.balance).toBe(1_234);
    const funded = await h.get('/v1/events?type=wallet.funded&limit=100', { token: sandbox.secretKey });
    expect(funded.body.data.filter((e: any) => e.data.walletId === wallet)).toHaveLength(1);
  });

  test('the same key with another body is refused with 422 and changes nothing', async () => {
    const wallet = await h.createWallet(sandbox);
    expect((await fund(wallet, 500, 'reuse-1')).status).toBe(201);
    const reused = await fund(wallet, 501, 'reuse-1');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).body.balance).toBe(500);
  });

  test('keys belong to one credential: another sandbox may use the same key', async () => {
    const other = await h.createSandbox();
    const mine = await h.createWallet(sandbox);
    const theirs = await h.createWallet(other);
    expect((await fund(mine, 100, 'shared-key')).status).toBe(201);
    const reply = await h.post(
      `/v1/sandbox/wallets/${theirs}/fund`,
      { amount: 100 },
      { token: other.secretKey, idempotencyKey: 'shared-key' },
    );
    expect(reply.status).toBe(201);
    expect(reply.headers.get('idempotent-replayed')).toBeNull();
  });

  test('before sign-in, keys belong to one client (its e-mail or device), not to everyone holding the publishable key', async () => {
    const register = (email: string, phone: string) =>
      h.post(
        '/v1/auth/register',
        { email, password: 'a-long-enough-passphrase', phone },
        { headers: { 'x-publishable-key': sandbox.publishableKey }, idempotencyKey: 'signup-1' },
      );
    const first = await register('first-client@example.test', '+819055501001');
    const second = await register('second-client@example.test', '+819055501002');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.userId).not.toBe(first.body.userId);
    // The same client retrying gets its own answer back.
    const retried = await register('first-client@example.test', '+819055501001');
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.userId).toBe(first.body.userId);
  });

  test('the stored fingerprint of a request is keyed: a reader of the table cannot test a guessed body against it', async () => {
    const wallet = await h.createWallet(sandbox);
    expect((await fund(wallet, 777, 'fingerprint-1')).status).toBe(201);
    const [row] = await h.db.rows<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE key = 'fingerprint-1'`);
    const request = `POST /v1/sandbox/wallets/${wallet}/fund\n${canonicalJson({ amount: 777 })}`;
    expect(row.request_hash).not.toBe(createHash('sha256').update(request).digest('hex'));
    const key = h.api.get(Secrets).derive('idempotency-fingerprint');
    expect(row.request_hash).toBe(createHmac('sha256', key).update(request).digest('hex'));
  });

  test('a key first used before a key rotation still replays: its fingerprint under the earlier key is recognised', async () => {
    const wallet = await h.createWallet(sandbox);
    const first = await fund(wallet, 321, 'rotated-1');
    expect(first.status).toBe(201);
    // As the record would read had it been made before SECRETS_KEY, under the key ADMIN_TOKEN rooted then.
    const before = new Secrets(validateEnvironment({ ...process.env, SECRETS_KEY: '' })).derive('idempotency-fingerprint');
    const request = `POST /v1/sandbox/wallets/${wallet}/fund\n${canonicalJson({ amount: 321 })}`;
    await h.db.rows(`UPDATE idempotency_keys SET request_hash = $2 WHERE sandbox_id = $1 AND key = 'rotated-1'`, [
      sandbox.id,
      createHmac('sha256', before).update(request).digest('hex'),
    ]);
    const again = await fund(wallet, 321, 'rotated-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).body.balance).toBe(321);
  });

  test('responses are sealed at rest: a reader of the table finds no key or secret, and a replay still answers the same', async () => {
    const created = await h.post('/v1/sandboxes', { name: 'sealed-response' }, { token: h.adminToken, idempotencyKey: 'sealed-1' });
    expect(created.status).toBe(201);
    const own = { token: created.body.secretKey };
    const hook = await h.post(
      '/v1/webhook-endpoints',
      { url: 'http://127.0.0.1:9/hook', events: ['wallet.funded'] },
      { ...own, idempotencyKey: 'sealed-2' },
    );
    expect(hook.status).toBe(201);

    const stored = await h.db.rows<{ response_body: string }>(
      `SELECT response_body FROM idempotency_keys WHERE (sandbox_id = '' AND key = 'sealed-1') OR (sandbox_id = $1 AND key = 'sealed-2')`,
      [created.body.id],
    );
    expect(stored).toHaveLength(2);
    for (const { response_body } of stored) {
      expect(response_body).toMatch(/^v1\./);
      for (const secret of [created.body.secretKey, created.body.publishableKey, hook.body.secret])
        expect(response_body).not.toContain(secret);
      expect(response_body).not.toMatch(/sk_test_|pk_test_|whsec_/);
    }

    const again = await h.post('/v1/sandboxes', { name: 'sealed-response' }, { token: h.adminToken, idempotencyKey: 'sealed-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(created.text);
    const hookAgain = await h.post(
      '/v1/webhook-endpoints',
      { url: 'http://127.0.0.1:9/hook', events: ['wallet.funded'] },
      { ...own, idempotencyKey: 'sealed-2' },
    );
    expect(hookAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(hookAgain.text).toBe(hook.text);
  });

  test('a sealed answer moved onto another record is never replayed, nor is the request run again', async () => {
    const sandbox = await h.createSandbox();
    const own = { token: sandbox.secretKey };
    const endpoint = (url: string, idempotencyKey: string) =>
      h.post('/v1/webhook-endpoints', { url, events: ['wallet.funded'] }, { ...own, idempotencyKey });
    expect((await endpoint('http://127.0.0.1:9/one', 'moved-1')).status).toBe(201);
    expect((await endpoint('http://127.0.0.1:9/two', 'moved-2')).status).toBe(201);
    await h.db.rows(
      `UPDATE idempotency_keys SET response_body = (SELECT response_body FROM idempotency_keys WHERE sandbox_id = $1 AND key = 'moved-1')
        WHERE sandbox_id = $1 AND key = 'moved-2'`,
      [sandbox.id],
    );
    const retried = await endpoint('http://127.0.0.1:9/two', 'moved-2');
    expect(retried.status).toBe(422);
    expect(retried.body.code).toBe('idempotency_key_reused');
    const listed = await h.get('/v1/webhook-endpoints', own);
    expect(listed.body.data.map((e: { url: string }) => e.url).sort()).toEqual(['http://127.0.0.1:9/one', 'http://127.0.0.1:9/two']);
    // Nothing unopenable stays behind for the key rotation of a later test.
    await h.db.rows(`DELETE FROM idempotency_keys WHERE sandbox_id = $1 AND key = 'moved-2'`, [sandbox.id]);
  });

  test('a refused request is replayed as refused; a validation error is not stored', async () => {
    const invalid = await fund('wal_00000000000000000000000000', 0, 'bad-1');
    expect(invalid.status).toBe(400);
    const missing = await fund('wal_00000000000000000000000000', 10, 'bad-1');
    expect(missing.status).toBe(404);
    const replayed = await fund('wal_00000000000000000000000000', 10, 'bad-1');
    expect(replayed.status).toBe(404);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.text).toBe(missing.text);
  });

  test('the key expires after 24 hours of sandbox time', async () => {
    const own = await h.createSandbox();
    const wallet = await h.createWallet(own);
    const send = () => h.post(`/v1/sandbox/wallets/${wallet}/fund`, { amount: 300 }, { token: own.secretKey, idempotencyKey: 'day-1' });
    expect((await send()).status).toBe(201);
    expect((await h.post('/v1/sandbox/clock/advance', { seconds: 23 * 3600 }, { token: own.secretKey })).status).toBe(200);
    expect((await send()).headers.get('idempotent-replayed')).toBe('true');
    expect((await h.post('/v1/sandbox/clock/advance', { seconds: 3600 }, { token: own.secretKey })).status).toBe(200);
    const fresh = await send();
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: own.secretKey })).body.balance).toBe(600);
  });

  test("the purge keeps a key until it expires on its own sandbox's clock, even a clock running years behind", async () => {
    const replay = await h.post(
      '/v1/sandboxes',
      { name: 'replay-2019', clockStartsAt: '2019-07-01T00:00:00+09:00' },
      { token: h.adminToken },
    );
    const past: SandboxKeys = replay.body;
    const wallet = await h.createWallet(past);
    const send = () =>
      h.post(`/v1/sandbox/wallets/${wallet}/fund`, { amount: 700 }, { token: past.secretKey, idempotencyKey: 'fund-2019' });
    const keys = async () =>
      Number((await h.db.rows<{ n: string }>(`SELECT count(*) AS n FROM idempotency_keys WHERE sandbox_id = $1`, [past.id]))[0].n);
    const purge = async () => {
      while ((await h.api.get(IdempotencyStore).purgeExpired()) > 0);
    };
    const first = await send();
    expect(first.status).toBe(201);

    // Years older than the machine's clock, yet less than a day old on the sandbox's.
    await purge();
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: past.secretKey })).body.balance).toBe(700);

    expect((await h.post('/v1/sandbox/clock/advance', { seconds: 24 * 3600 }, { token: past.secretKey })).status).toBe(200);
    await purge();
    expect(await keys()).toBe(0);
  });

  test('malformed keys are refused', async () => {
    const wallet = await h.createWallet(sandbox);
    const reply = await fund(wallet, 100, 'x'.repeat(256));
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).body.balance).toBe(0);
  });
});
