import { describe, expect, test } from '@jest/globals';
import { Customers } from '../support/customers.js';
import { useHarness } from '../support/harness.js';

const h = useHarness();

/** A customer who tops up ¥5,000 in cash at a store and pays ¥1,200 there; a second wallet funded by the sandbox. */
async function day() {
  const sandbox = await h.createSandbox();
  const secret = { token: sandbox.secretKey };
  const c = new Customers(h, sandbox);
  const alice = await c.onboard();
  const bob = await c.onboard();
  const store = (await h.post('/v1/stores', { name: 'Seven Ginza' }, secret)).body;
  const code = async () => (await h.post('/v1/payment-codes', undefined, { token: alice.tokens.accessToken })).body.code;
  expect((await h.post('/v1/register-topups', { code: await code(), amount: 5_000 }, { token: store.apiKey })).status).toBe(202);
  await h.drain();
  const payment = await h.post('/v1/payments', { code: await code(), amount: 1_200 }, { token: store.apiKey });
  expect(payment.status).toBe(201);
  await h.post(`/v1/sandbox/wallets/${bob.walletId}/fund`, { amount: 3_000 }, secret);
  await h.drain();
  return { sandbox, secret, alice, bob, store, paymentId: payment.body.id as string };
}

describe("operator's ledger reads", () => {
  test("the overview counts wallets, what they hold and today's top-ups and payments from the ledger", async () => {
    const { secret } = await day();
    const reply = await h.get('/v1/reports/overview', secret);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      wallets: 2,
      walletsWithBalance: 2,
      outstanding: 5_000 - 1_200 + 3_000,
      openHolds: 0,
      walletsOnHold: 0,
      day: { timeZone: 'Asia/Tokyo' },
      today: {
        topups: { register_cash: { count: 1, amount: 5_000 }, card: { count: 0, amount: 0 } },
        payments: { count: 1, amount: 1_200 },
        refunds: { count: 0, amount: 0 },
      },
    });
    const from = new Date(reply.body.day.from).getTime();
    expect(new Date(reply.body.day.to).getTime() - from).toBe(86_400_000);
    expect(new Date(reply.body.asOf).getTime()).toBeGreaterThanOrEqual(from);

    // The next sandbox day starts from nothing.
    expect((await h.post('/v1/sandbox/clock/advance', { seconds: 86_400 }, secret)).status).toBe(200);
    const tomorrow = (await h.get('/v1/reports/overview', secret)).body;
    expect(tomorrow.today.payments).toEqual({ count: 0, amount: 0 });
    expect(tomorrow.outstanding).toBe(6_800);
  });

  test('an account shows its balance, its transfers signed for it and its pending transfers', async () => {
    const { secret, alice, store, paymentId } = await day();
    const wallets = (await h.get('/v1/ledger/accounts?kind=wallet', secret)).body;
    expect(wallets.data.map((a: { id: string }) => a.id).sort()).toEqual(expect.arrayContaining([alice.walletId]));
    expect(wallets.data).toHaveLength(2);
    expect((await h.get(`/v1/ledger/accounts/${alice.walletId}`, secret)).body).toMatchObject({
      id: alice.walletId,
      kind: 'wallet',
      balance: 3_800,
      available: 3_800,
      holds: 0,
    });
    const transfers = (await h.get(`/v1/ledger/accounts/${alice.walletId}/transfers`, secret)).body;
    expect(transfers.data.map((t: { code: string; amount: number }) => [t.code, t.amount])).toEqual([
      ['payment', -1_200],
      ['topup', 5_000],
    ]);
    // A page at a time, newest first.
    const first = (await h.get(`/v1/ledger/accounts/${alice.walletId}/transfers?limit=1`, secret)).body;
    expect(first).toMatchObject({ has_more: true, data: [{ code: 'payment' }] });
    const next = (await h.get(`/v1/ledger/accounts/${alice.walletId}/transfers?limit=1&starting_after=${first.data[0].id}`, secret)).body;
    expect(next).toMatchObject({ has_more: false, data: [{ code: 'topup', amount: 5_000 }] });
    expect(transfers.data[0]).toMatchObject({ debitAccountId: alice.walletId, creditAccountId: store.id, metadata: { paymentId } });
    expect((await h.get(`/v1/ledger/accounts/${store.id}`, secret)).body).toMatchObject({ kind: 'store', balance: 1_200 });
    expect((await h.get(`/v1/ledger/accounts/system:topup:register_cash`, secret)).body).toMatchObject({ kind: 'system', balance: -5_000 });

    // A pre-authorisation reserves money: a pending transfer until it is captured.
    const code = (await h.post('/v1/payment-codes', undefined, { token: alice.tokens.accessToken })).body.code;
    const auth = await h.post('/v1/payments', { code, amount: 800, capture: false }, { token: store.apiKey });
    expect(auth.status).toBe(201);
    const pending = (await h.get(`/v1/ledger/accounts/${alice.walletId}/pending-transfers?status=pending`, secret)).body;
    expect(pending.data).toEqual([expect.objectContaining({ amount: 800, status: 'pending', code: 'payment', creditAccountId: store.id })]);
    expect((await h.get(`/v1/ledger/accounts/${alice.walletId}`, secret)).body).toMatchObject({
      balance: 3_800,
      available: 3_000,
      reserved: 800,
    });
  });

  test('only the secret key reads the ledger, and an unknown account is not found', async () => {
    const { secret, alice, store } = await day();
    expect((await h.get('/v1/ledger/accounts/wal_00000000000000000000000000', secret)).body.code).toBe('not_found');
    expect((await h.get(`/v1/ledger/accounts/${alice.walletId}/transfers`, { token: alice.tokens.accessToken })).status).toBe(403);
    expect((await h.get('/v1/reports/overview', { token: store.apiKey })).status).toBe(403);
    const other = await h.createSandbox();
    expect((await h.get(`/v1/ledger/accounts/${alice.walletId}`, { token: other.secretKey })).status).toBe(404);
    expect((await h.get('/v1/ledger/accounts?kind=bank', secret)).status).toBe(400);
  });
});
