import { describe, expect, test } from '@jest/globals';
import { SandboxTime, sha256Hex } from '#core';
import { Messages } from '#sandbox';
import { Customers } from '../support/customers.js';
import { answered, useHarness } from '../support/harness.js';
import { rowCounts } from '../support/sandbox-tables.js';

const h = useHarness();

describe('sandboxes', () => {
  test('the admin token creates a hardened sandbox by default; its keys are shown once and stored hashed', async () => {
    const reply = await h.post('/v1/sandboxes', { name: 'qa run' }, { token: h.adminToken });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ id: expect.stringMatching(/^sbx_/), name: 'qa run', securityProfile: 'hardened' });
    expect(reply.body.secretKey).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);
    expect(reply.body.publishableKey).toMatch(/^pk_test_[0-9A-Za-z]{32}$/);

    const rows = await h.db.rows<{ key_hash: string; key_hint: string }>(
      `SELECT key_hash, key_hint FROM sandbox_api_keys WHERE sandbox_id = $1`,
      [reply.body.id],
    );
    expect(rows.map((r) => r.key_hash).sort()).toEqual([sha256Hex(reply.body.secretKey), sha256Hex(reply.body.publishableKey)].sort());
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(reply.body.secretKey.slice(12));

    const clock = await h.get('/v1/sandbox/clock', { token: reply.body.secretKey });
    expect(clock.status).toBe(200);
    expect(clock.headers.get('sandbox-security-profile')).toBe('hardened');
  });

  test('a legacy-2019 sandbox says so on every response, errors included', async () => {
    const legacy = await h.createSandbox('legacy-2019');
    const ok = await h.get('/v1/sandbox/clock', { token: legacy.secretKey });
    const missing = await h.get('/v1/sandbox/wallets/wal_nope', { token: legacy.secretKey });
    expect(ok.headers.get('sandbox-security-profile')).toBe('legacy-2019');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('sandbox-security-profile')).toBe('legacy-2019');
  });
});

describe('clock', () => {
  const clockOf = (secretKey: string) => answered(h.client({ token: secretKey }).GET('/v1/sandbox/clock'), 'reading the clock');

  test('starts at real time, advances by the seconds asked, and never goes back', async () => {
    const sandbox = await h.createSandbox();
    const operator = h.client({ token: sandbox.secretKey });
    const start = await clockOf(sandbox.secretKey);
    expect(Math.abs(Date.parse(start.now) - Date.now())).toBeLessThan(5_000);
    expect(start.offsetSeconds).toBe(0);

    const day = await operator.POST('/v1/sandbox/clock/advance', { body: { seconds: 86_400 } });
    expect(day.response.status).toBe(200);
    expect(day.data?.offsetSeconds).toBe(86_400);
    expect(Date.parse(day.data?.now ?? '') - Date.parse(start.now)).toBeGreaterThanOrEqual(86_400_000);
    await operator.POST('/v1/sandbox/clock/advance', { body: { seconds: 3_600 } });
    expect((await clockOf(sandbox.secretKey)).offsetSeconds).toBe(90_000);

    const back = await operator.POST('/v1/sandbox/clock/advance', { body: { seconds: -3_600 } });
    expect([back.response.status, back.error?.code]).toEqual([400, 'invalid_request']);
    expect((await clockOf(sandbox.secretKey)).offsetSeconds).toBe(90_000);

    const events = await answered(operator.GET('/v1/events', { params: { query: { type: 'sandbox.clock_advanced' } } }), 'listing events');
    expect(events.data.map((e) => e.data.seconds)).toEqual([3_600, 86_400]);
  });

  test('each sandbox keeps its own clock', async () => {
    const [a, b] = [await h.createSandbox(), await h.createSandbox()];
    await h.client({ token: a.secretKey }).POST('/v1/sandbox/clock/advance', { body: { seconds: 600 } });
    expect((await clockOf(b.secretKey)).offsetSeconds).toBe(0);
  });

  test('a sandbox can start its clock in the past (a replay of 2019), and sign-ins work on that clock', async () => {
    const created = await h.post('/v1/sandboxes', { name: 'replay', clockStartsAt: '2019-07-01T00:00:00+09:00' }, { token: h.adminToken });
    expect(created.status).toBe(201);
    const clock = await clockOf(created.body.secretKey);
    expect(Date.parse(clock.now) - Date.parse('2019-06-30T15:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(clock.now) - Date.parse('2019-06-30T15:00:00Z')).toBeLessThan(60_000);
    const customer = await new Customers(h, created.body).onboard();
    expect((await h.get('/v1/wallet', { token: customer.tokens.accessToken })).status).toBe(200);
    for (const clockStartsAt of ['1999-12-31T00:00:00Z', 'July 2019', '2101-01-01T00:00:00Z']) {
      const refused = await h.post('/v1/sandboxes', { name: 'bad', clockStartsAt }, { token: h.adminToken });
      expect(refused.body.code).toBe('invalid_request');
    }
  });
});

describe('messages', () => {
  test('lists what the sandbox sent, newest first, by recipient, page by page', async () => {
    const sandbox = await h.createSandbox();
    const messages = h.api.get(Messages);
    const at = new SandboxTime(0).now();
    await messages.send(h.db, {
      sandboxId: sandbox.id,
      channel: 'email',
      to: 'aiko@example.test',
      subject: 'Welcome',
      body: 'Welcome to 7pay',
      at,
    });
    await messages.send(h.db, { sandboxId: sandbox.id, channel: 'sms', to: '+819012345678', body: 'Your code is 482913', at });
    await messages.send(h.db, {
      sandboxId: sandbox.id,
      channel: 'email',
      to: 'aiko@example.test',
      subject: 'Reset',
      body: 'token=abc',
      at,
    });

    const all = await h.get('/v1/sandbox/messages', { token: sandbox.secretKey });
    expect(all.body.data.map((m: any) => m.body)).toEqual(['token=abc', 'Your code is 482913', 'Welcome to 7pay']);
    expect(all.body.data[1]).toMatchObject({ channel: 'sms', to: '+819012345678', subject: null, createdAt: expect.any(String) });

    const toAiko = await h.get('/v1/sandbox/messages?to=aiko@example.test&limit=1', { token: sandbox.secretKey });
    expect(toAiko.body).toMatchObject({ data: [{ subject: 'Reset' }], has_more: true });
    const next = await h.get(`/v1/sandbox/messages?to=aiko@example.test&limit=1&starting_after=${toAiko.body.data[0].id}`, {
      token: sandbox.secretKey,
    });
    expect(next.body).toMatchObject({ data: [{ subject: 'Welcome' }], has_more: false });

    // The + of a phone number, encoded or typed as is (which a query string reads as a space).
    for (const to of ['%2B819012345678', '+819012345678']) {
      const sms = await h.get(`/v1/sandbox/messages?to=${to}`, { token: sandbox.secretKey });
      expect({ to, bodies: sms.body.data.map((m: any) => m.body) }).toEqual({ to, bodies: ['Your code is 482913'] });
    }
  });
});

describe('test wallets and funding', () => {
  test('funding credits the wallet through the ledger and emits wallet.funded', async () => {
    const sandbox = await h.createSandbox();
    const wallet = await h.createWallet(sandbox);
    const reply = await h.post(`/v1/sandbox/wallets/${wallet}/fund`, { amount: 30_000 }, { token: sandbox.secretKey });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ walletId: wallet, amount: 30_000, transferId: expect.stringMatching(/^trf_/), balance: 30_000 });
    await h.post(`/v1/sandbox/wallets/${wallet}/fund`, { amount: 49_000 }, { token: sandbox.secretKey });
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).body).toEqual({
      id: wallet,
      balance: 79_000,
      available: 79_000,
    });

    const report = await h.get('/v1/reports/reconciliation', { token: sandbox.secretKey });
    expect(report.body).toMatchObject({
      ok: true,
      discrepancies: [],
      totals: {
        walletBalances: 79_000,
        entriesSum: 0,
        walletFlows: { in: { sandbox_funding: 79_000 }, out: {} },
        systemBalances: { 'system:sandbox_funding': -79_000 },
      },
    });
  });

  test('a reconciliation discrepancy is reported, not hidden', async () => {
    const sandbox = await h.createSandbox();
    const wallet = await h.createWallet(sandbox, 1_000);
    // Simulate corruption that bypasses the ledger: the stored balance no longer matches its entries.
    await h.db.rows(`UPDATE ledger_accounts SET balance = balance + 1 WHERE sandbox_id = $1 AND id = $2`, [sandbox.id, wallet]);
    const report = await h.get('/v1/reports/reconciliation', { token: sandbox.secretKey });
    expect(report.body.ok).toBe(false);
    expect(report.body.discrepancies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'wallet_balance_equals_entries', accountId: wallet, expected: 1_000, actual: 1_001 }),
        expect.objectContaining({ check: 'wallets_equal_flows', expected: 1_000, actual: 1_001 }),
      ]),
    );
    await h.db.rows(`UPDATE ledger_accounts SET balance = balance - 1 WHERE sandbox_id = $1 AND id = $2`, [sandbox.id, wallet]);
    expect((await h.get('/v1/reports/reconciliation', { token: sandbox.secretKey })).body.ok).toBe(true);
  });
});

describe('reset', () => {
  test('wipes the data, keeps keys, clock and profile, and the ledger still reconciles', async () => {
    const sandbox = await h.createSandbox('legacy-2019');
    const wallet = await h.createWallet(sandbox, 2_000);
    await h.api
      .get(Messages)
      .send(h.db, { sandboxId: sandbox.id, channel: 'sms', to: '+81000', body: 'hello', at: new SandboxTime(0).now() });
    await h.post('/v1/sandbox/clock/advance', { seconds: 7_200 }, { token: sandbox.secretKey });

    const reset = await h.post('/v1/sandbox/reset', undefined, { token: sandbox.secretKey });
    expect(reset.status).toBe(200);

    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).status).toBe(404);
    expect((await h.get('/v1/sandbox/messages', { token: sandbox.secretKey })).body.data).toEqual([]);
    const events = await h.get('/v1/events', { token: sandbox.secretKey });
    expect(events.body.data.map((e: any) => e.type)).toEqual(['sandbox.reset']);
    const clock = await h.get('/v1/sandbox/clock', { token: sandbox.secretKey });
    expect(clock.body.offsetSeconds).toBe(7_200);
    expect(clock.headers.get('sandbox-security-profile')).toBe('legacy-2019');
    const report = await h.get('/v1/reports/reconciliation', { token: sandbox.secretKey });
    expect(report.body).toMatchObject({ ok: true, totals: { walletBalances: 0, transfers: 0, accounts: { wallet: 0, system: 9 } } });

    // The sandbox works as new.
    const fresh = await h.createWallet(sandbox, 500);
    expect((await h.get(`/v1/sandbox/wallets/${fresh}`, { token: sandbox.secretKey })).body.balance).toBe(500);
  });

  test('forgets the throttles: an account locked by strangers signs in again after the reset', async () => {
    const sandbox = await h.createSandbox();
    const customers = new Customers(h, sandbox);
    const { who } = await customers.onboard();
    const stranger = { ...who, deviceId: 'a-stranger-device-0001' };
    for (let i = 0; i < 10; i++) {
      expect((await customers.login({ ...stranger, password: `guess-${i}-of-a-stranger` }, `198.18.7.${i + 1}`)).status).toBe(401);
    }
    expect((await customers.login(stranger, '198.18.7.100')).status).toBe(429);

    expect((await h.post('/v1/sandbox/reset', undefined, { token: sandbox.secretKey })).status).toBe(200);
    expect((await customers.register(who)).status).toBe(201);
    const login = await customers.login(stranger, '198.18.7.101');
    expect(login.status).toBe(200);
    expect(login.body.mfaRequired).toBe(true);
  });

  test('leaves no row of the sandbox in any table but what it keeps: keys, webhook endpoints and system accounts', async () => {
    const sandbox = await h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const customers = new Customers(h, sandbox);
    const customer = await customers.onboard();
    const asCustomer = { token: customer.tokens.accessToken };
    await h.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['wallet.funded'] }, secret);
    await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 5_000 }, { ...secret, idempotencyKey: 'fund-1' });
    await h.post(`/v1/sandbox/wallets/${customer.walletId}/points`, { points: 1_000 }, secret);
    await h.post('/v1/topups', { amount: 1_000, channel: 'points' }, asCustomer);
    await customers.addCard(customer.who, customer.tokens.accessToken);
    expect((await h.post('/v1/account/email', { email: `moved-${customer.who.email}` }, asCustomer)).status).toBe(202);
    await h.post(
      '/v1/bank-accounts',
      { bankCode: '0001', branchCode: '123', accountNumber: '1234567', holder: 'ヤマダ タロウ' },
      asCustomer,
    );
    await h.post('/v1/topups', { amount: 10_000, channel: 'atm' }, asCustomer);
    await h.post('/v1/topup-settings', { gateway: { failureRate: 0 } }, secret);
    await customers.requestReset({ email: customer.who.email });
    const store = (await h.post('/v1/stores', { name: 'Ueno' }, secret)).body;
    await h.post(`/v1/stores/${store.id}/terminals`, { name: 'Register 1' }, secret);
    await h.post('/v1/store-codes', {}, { token: store.apiKey });
    const pay = async (body: Record<string, unknown>) => {
      const code = (await h.post('/v1/payment-codes', undefined, asCustomer)).body.code;
      return (await h.post('/v1/payments', { code, ...body }, { token: store.apiKey })).body;
    };
    const payment = await pay({ amount: 500 });
    await h.post(`/v1/payments/${payment.id}/refunds`, { amount: 100 }, { token: store.apiKey });
    await pay({ amount: 300, capture: false });
    await h.post('/v1/fraud/settings', { holdExpiryHours: 48 }, secret);
    await h.post('/v1/holds', { walletId: customer.walletId, reason: 'the customer reported a takeover' }, secret);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    await h.post('/v1/service/transitions', { to: 'card_topup_suspended', effectiveAt: later }, secret);
    await h.post('/v1/sandbox/replay', { customers: 20, seed: 1, pace: 'fast' }, secret);
    await h.drain();
    const before = await rowCounts(h.db, sandbox.id);
    expect(Number(before.ledger_wallet_holds)).toBe(1);

    expect((await h.post('/v1/sandbox/reset', undefined, secret)).status).toBe(200);
    await h.drain();

    const kept: Record<string, string> = { outbox_events: '1', sandbox_api_keys: '2', webhook_endpoints: '1', ledger_accounts: '9' };
    const after = await rowCounts(h.db, sandbox.id);
    expect(after).toEqual(Object.fromEntries(Object.keys(after).map((table) => [table, kept[table] ?? '0'])));
    const accounts = await h.db.rows<{ kind: string }>(`SELECT DISTINCT kind FROM ledger_accounts WHERE sandbox_id = $1`, [sandbox.id]);
    expect(accounts).toEqual([{ kind: 'system' }]);
    // Every table had rows to wipe, but those only a fraud case, a released hold, the shutdown or a job failing for good fills.
    expect(Object.keys(before).filter((table) => before[table] === '0')).toEqual([
      'failed_jobs',
      'fraud_hold_topups',
      'fraud_rule_hits',
      'fraud_victims',
      'ledger_released_holds',
      'lifecycle_notices',
      'lifecycle_payout_runs',
      'lifecycle_refund_claims',
    ]);
  });
});
