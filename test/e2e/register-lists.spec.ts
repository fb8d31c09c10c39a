import { describe, expect, test } from '@jest/globals';
import { Customers } from '../support/customers.js';
import { useHarness } from '../support/harness.js';

const h = useHarness();

describe("a register's stores, keys and payments", () => {
  test('stores list newest first, page by page, and only those of the sandbox', async () => {
    const sandbox = await h.createSandbox();
    const other = await h.createSandbox();
    await h.post('/v1/stores', { name: 'Elsewhere' }, { token: other.secretKey });
    const names = ['Ginza', 'Shibuya', 'Umeda'];
    for (const name of names) expect((await h.post('/v1/stores', { name }, { token: sandbox.secretKey })).status).toBe(201);

    const first = await h.get('/v1/stores?limit=2', { token: sandbox.secretKey });
    expect(first.status).toBe(200);
    expect(first.body.data.map((s: { name: string }) => s.name)).toEqual(['Umeda', 'Shibuya']);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data[0]).toEqual(expect.objectContaining({ categoryCode: '5411', city: 'Tokyo', location: null }));
    expect(first.body.data[0]).not.toHaveProperty('apiKey');
    const rest = await h.get(`/v1/stores?limit=2&starting_after=${first.body.data[1].id}`, { token: sandbox.secretKey });
    expect(rest.body).toEqual({ data: [expect.objectContaining({ name: 'Ginza' })], has_more: false });

    const store = await h.post('/v1/stores', { name: 'Keyed' }, { token: sandbox.secretKey });
    expect((await h.get('/v1/stores', { token: store.body.apiKey })).status).toBe(403);
  });

  test('another register key for a store is shown once and works as the first; an unknown store gets none', async () => {
    const sandbox = await h.createSandbox();
    const store = await h.post('/v1/stores', { name: 'Seven Ginza' }, { token: sandbox.secretKey });
    const issued = await h.post(`/v1/stores/${store.body.id}/keys`, undefined, { token: sandbox.secretKey });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({
      id: expect.stringMatching(/^key_/),
      storeId: store.body.id,
      apiKey: expect.stringMatching(/^stk_test_[0-9A-Za-z]{32}$/),
      keyHint: `${issued.body.apiKey.slice(0, 13)}…${issued.body.apiKey.slice(-4)}`,
      createdAt: expect.any(String),
    });
    expect(issued.body.apiKey).not.toBe(store.body.apiKey);
    // The new key is the store's: it takes payments and issues store codes for it.
    const code = await h.post('/v1/store-codes', { amount: 500 }, { token: issued.body.apiKey });
    expect(code.status).toBe(201);
    const stored = await h.db.rows<{ key_hash: string }>(`SELECT key_hash FROM capture_store_keys WHERE id = $1`, [issued.body.id]);
    expect(JSON.stringify(stored)).not.toContain(issued.body.apiKey);

    const unknown = await h.post('/v1/stores/str_00000000000000000000000000/keys', undefined, { token: sandbox.secretKey });
    expect(unknown.status).toBe(404);
    const withBody = await h.post(`/v1/stores/${store.body.id}/keys`, { name: 'x' }, { token: sandbox.secretKey });
    expect(withBody.status).toBe(400);
    expect((await h.post(`/v1/stores/${store.body.id}/keys`, undefined, { token: store.body.apiKey })).status).toBe(403);
  });

  test("payments list newest first: a store sees its own, a terminal's filter, the operator sees all", async () => {
    const sandbox = await h.createSandbox();
    const ginza = await h.post('/v1/stores', { name: 'Ginza' }, { token: sandbox.secretKey });
    const umeda = await h.post('/v1/stores', { name: 'Umeda' }, { token: sandbox.secretKey });
    const till = await h.post(`/v1/stores/${ginza.body.id}/terminals`, { name: 'Register 2' }, { token: sandbox.secretKey });
    const customer = await new Customers(h, sandbox).onboard();
    await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 10_000 }, { token: sandbox.secretKey });
    const pay = async (storeKey: string, amount: number, extra: Record<string, unknown> = {}) => {
      const code = await h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken });
      const reply = await h.post('/v1/payments', { code: code.body.code, amount, ...extra }, { token: storeKey });
      expect(reply.status).toBe(201);
      return reply.body;
    };
    const a = await pay(ginza.body.apiKey, 100);
    const b = await pay(ginza.body.apiKey, 200, { terminalId: till.body.id, capture: false });
    await pay(umeda.body.apiKey, 300);
    await h.post(`/v1/payments/${a.id}/refunds`, { amount: 40 }, { token: ginza.body.apiKey });

    const own = await h.get('/v1/payments', { token: ginza.body.apiKey });
    expect(own.status).toBe(200);
    expect(own.body.has_more).toBe(false);
    expect(own.body.data.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    expect(own.body.data[1]).toEqual(expect.objectContaining({ status: 'captured', capturedAmount: 100, refundedAmount: 40 }));
    expect(own.body.data[0]).toEqual(expect.objectContaining({ status: 'authorized', terminalId: till.body.id }));

    const terminal = await h.get(`/v1/payments?terminalId=${till.body.id}`, { token: ginza.body.apiKey });
    expect(terminal.body.data.map((p: { id: string }) => p.id)).toEqual([b.id]);
    const paged = await h.get('/v1/payments?limit=1', { token: ginza.body.apiKey });
    expect(paged.body.has_more).toBe(true);

    const all = await h.get('/v1/payments', { token: sandbox.secretKey });
    expect(all.body.data).toHaveLength(3);
    expect((await h.get('/v1/payments?terminalId=nope', { token: sandbox.secretKey })).status).toBe(400);
    expect((await h.get('/v1/payments', { token: customer.tokens.accessToken })).status).toBe(403);
  });
});
