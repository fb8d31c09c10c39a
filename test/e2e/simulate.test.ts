import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SIMULATION_CASES } from '#core';
import { Customers } from '../support/customers.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

// `Sandbox-Simulate: timeout` stalls this long (10 s by default) before its 504.
process.env.SIMULATED_TIMEOUT_MS = '250';

const h = useHarness();
let sandbox: SandboxKeys;
let wallet: string;
let storeKey: string;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
  sandbox = await h.createSandbox();
  wallet = await h.createWallet(sandbox, 1_000);
  storeKey = (await h.post('/v1/stores', { name: 'Ginza 1-chome' }, { token: sandbox.secretKey })).body.apiKey;
  await h.post('/v1/webhook-endpoints', { url: `${receiver.url}/all`, events: ['*'] }, { token: sandbox.secretKey });
  await h.drain();
});
afterAll(async () => {
  await receiver.close();
});

/** Everything a simulated call could have changed: ledger, event log, idempotency records, webhooks sent. */
async function footprint(): Promise<unknown> {
  await h.drain();
  const [counts] = await h.db.rows(
    `SELECT (SELECT count(*) FROM outbox_events WHERE sandbox_id = $1) AS events,
            (SELECT count(*) FROM ledger_transfers WHERE sandbox_id = $1) AS transfers,
            (SELECT count(*) FROM ledger_entries WHERE sandbox_id = $1) AS entries,
            (SELECT sum(balance) FROM ledger_accounts WHERE sandbox_id = $1) AS balances,
            (SELECT count(*) FROM idempotency_keys WHERE sandbox_id = $1) AS keys,
            (SELECT count(*) FROM webhook_deliveries WHERE sandbox_id = $1) AS deliveries,
            (SELECT count(*) FROM sandboxes) AS sandboxes`,
    [sandbox.id],
  );
  return { ...counts, webhooksReceived: receiver.received.length };
}

const EXPECTED: Record<string, { status: number; code: string; retryAfter?: string }> = {
  card_declined: { status: 402, code: 'card_declined' },
  insufficient_balance: { status: 402, code: 'insufficient_balance' },
  code_invalid: { status: 422, code: 'code_invalid' },
  code_expired: { status: 422, code: 'code_expired' },
  code_used: { status: 409, code: 'code_used' },
  wallet_on_hold: { status: 403, code: 'wallet_on_hold' },
  limit_exceeded: { status: 422, code: 'limit_exceeded' },
  service_suspended: { status: 403, code: 'service_suspended' },
  rate_limited: { status: 429, code: 'rate_limited', retryAfter: '2' },
  timeout: { status: 504, code: 'gateway_timeout' },
  server_error: { status: 503, code: 'service_unavailable', retryAfter: '1' },
};

describe('Sandbox-Simulate', () => {
  test('every documented case is tested here', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SIMULATION_CASES].sort());
  });

  test.each(Object.entries(EXPECTED))('%s answers its documented refusal and changes nothing', async (name, expected) => {
    const before = await footprint();
    const started = Date.now();
    const reply = await h.post(
      `/v1/sandbox/wallets/${wallet}/fund`,
      { amount: 500 },
      { token: sandbox.secretKey, idempotencyKey: `simulated-${name}`, headers: { 'sandbox-simulate': name } },
    );
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status: expected.status, code: expected.code });
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.headers.get('sandbox-simulated')).toBe(name);
    expect(reply.headers.get('retry-after')).toBe(expected.retryAfter ?? null);
    expect(reply.body).toMatchObject({
      type: expect.stringContaining(expected.code),
      title: expect.any(String),
      detail: expect.stringMatching(/^Simulated/),
    });
    if (name === 'timeout') expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(await footprint()).toEqual(before);
  });

  test('nothing is remembered: the same Idempotency-Key then runs the real call', async () => {
    const key = 'simulated-then-real';
    const simulated = await h.post(
      `/v1/sandbox/wallets/${wallet}/fund`,
      { amount: 300 },
      {
        token: sandbox.secretKey,
        idempotencyKey: key,
        headers: { 'sandbox-simulate': 'server_error' },
      },
    );
    expect(simulated.status).toBe(503);
    const real = await h.post(`/v1/sandbox/wallets/${wallet}/fund`, { amount: 300 }, { token: sandbox.secretKey, idempotencyKey: key });
    expect(real.status).toBe(201);
    expect(real.headers.get('idempotent-replayed')).toBeNull();
    expect(real.headers.get('sandbox-simulated')).toBeNull();
  });

  test('every kind of credential honours it, on reads too', async () => {
    const customers = new Customers(h, sandbox);
    const customer = await customers.onboard();
    const before = await footprint();
    const simulate = { 'sandbox-simulate': 'code_expired' };
    const calls = [
      h.post('/v1/payments', { code: '79123412341234123412340', amount: 100 }, { token: storeKey, headers: simulate }),
      h.get('/v1/wallet', { token: customer.tokens.accessToken, headers: simulate }),
      h.get('/v1/events', { token: sandbox.secretKey, headers: simulate }),
      h.post(
        '/v1/auth/login',
        { email: customer.who.email, password: customer.who.password, deviceId: customer.who.deviceId },
        {
          headers: { ...simulate, 'x-publishable-key': sandbox.publishableKey },
        },
      ),
      h.post('/v1/sandboxes', { name: 'never made' }, { token: h.adminToken, headers: simulate }),
    ];
    for (const reply of await Promise.all(calls))
      expect({ status: reply.status, code: reply.body.code }).toEqual({ status: 422, code: 'code_expired' });
    expect(await footprint()).toEqual(before);
  });

  test('credentials come first (401, 403), an unknown case is a 400 naming the valid ones, and runtime endpoints ignore it', async () => {
    const before = await footprint();
    const missing = await h.post(`/v1/sandbox/wallets/${wallet}/fund`, { amount: 1 }, { headers: { 'sandbox-simulate': 'card_declined' } });
    expect(missing.status).toBe(401);
    const wrongKind = await h.post(
      `/v1/sandbox/wallets/${wallet}/fund`,
      { amount: 1 },
      { token: storeKey, headers: { 'sandbox-simulate': 'card_declined' } },
    );
    expect(wrongKind.status).toBe(403);
    const unknown = await h.post(
      `/v1/sandbox/wallets/${wallet}/fund`,
      { amount: 1 },
      { token: sandbox.secretKey, headers: { 'sandbox-simulate': 'meteor_strike' } },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'unknown_simulation', cases: SIMULATION_CASES });
    expect(unknown.body.detail).toContain('card_declined');
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      expect((await h.get(path, { headers: { 'sandbox-simulate': 'server_error' } })).status).toBe(200);
    }
    expect(await footprint()).toEqual(before);
  });
});
