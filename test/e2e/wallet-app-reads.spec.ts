import { describe, expect, test } from '@jest/globals';
import { Customers } from '../support/customers.js';
import { useHarness } from '../support/harness.js';

const h = useHarness();
const DAY_MS = 86_400_000;

/** What the wallet app reads to draw its screens: test numbers to pick from, bank accounts, points, its own refund claim. */
describe('reads for the wallet app', () => {
  test('the test cards and bank accounts are listed with what a top-up from each does, to any credential of the sandbox', async () => {
    const sandbox = await h.createSandbox();
    const c = new Customers(h, sandbox);
    const { tokens } = await c.onboard();
    const publishable = { headers: { 'x-publishable-key': sandbox.publishableKey } };
    for (const auth of [publishable, { token: tokens.accessToken }, { token: sandbox.secretKey }]) {
      const cards = await h.get('/v1/test-cards', auth);
      expect(cards.status).toBe(200);
      expect(cards.body.has_more).toBe(false);
      expect(cards.body.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ number: '4242424242424242', behavior: 'succeed', failureCode: null }),
          expect.objectContaining({ number: '4000000000000002', behavior: 'decline', failureCode: 'card_declined' }),
          expect.objectContaining({ number: '4000000000003220', behavior: 'three_d_secure', failureCode: null }),
        ]),
      );
      const banks = await h.get('/v1/test-bank-accounts', auth);
      expect(banks.body.data).toContainEqual(
        expect.objectContaining({ number: '0000002', behavior: 'decline', failureCode: 'card_declined' }),
      );
    }
    expect((await h.get('/v1/test-cards')).status).toBe(401);
  });

  test('a customer lists their bank accounts (last four digits only) and reads their loyalty points', async () => {
    const sandbox = await h.createSandbox();
    const c = new Customers(h, sandbox);
    const me = await c.onboard();
    const other = await c.onboard();
    const auth = { token: me.tokens.accessToken };
    expect((await h.get('/v1/bank-accounts', auth)).body).toEqual({ data: [], has_more: false });
    const added = await c.stepUp(me.who, me.tokens.accessToken, () =>
      h.post('/v1/bank-accounts', { bankCode: '0005', branchCode: '251', accountNumber: '1234567', holder: 'ヤマダ ハナコ' }, auth),
    );
    expect(added.status).toBe(201);
    const listed = await h.get('/v1/bank-accounts', auth);
    expect(listed.body.data).toEqual([
      { id: added.body.id, bankCode: '0005', branchCode: '251', last4: '4567', holder: 'ヤマダ ハナコ', createdAt: expect.any(String) },
    ]);
    expect(listed.text).not.toContain('1234567');
    expect((await h.get('/v1/bank-accounts', { token: other.tokens.accessToken })).body.data).toEqual([]);

    expect((await h.get('/v1/wallet/points', auth)).body).toEqual({ walletId: me.walletId, points: 0 });
    await h.post(`/v1/sandbox/wallets/${me.walletId}/points`, { points: 5_000 }, { token: sandbox.secretKey });
    expect((await h.get('/v1/wallet/points', auth)).body).toEqual({ walletId: me.walletId, points: 5_000 });
    const spent = await h.post('/v1/topups', { amount: 2_000, channel: 'points' }, auth);
    expect(spent.status).toBe(202);
    expect((await h.get('/v1/wallet/points', auth)).body.points).toBe(3_000);
    expect((await h.get('/v1/wallet/points', { token: sandbox.secretKey })).status).toBe(403);
  });

  test('a customer lists their own refund claims, never another wallet’s', async () => {
    const sandbox = await h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const c = new Customers(h, sandbox);
    const [alice, bob] = [await c.onboard(), await c.onboard()];
    for (const m of [alice, bob]) await h.post(`/v1/sandbox/wallets/${m.walletId}/fund`, { amount: 4_000 }, secret);
    const now = new Date((await h.get('/v1/sandbox/clock', secret)).body.now).getTime();
    const announced = await h.post(
      '/v1/service/transitions',
      {
        to: 'abolition_announced',
        terminationAt: new Date(now + DAY_MS).toISOString(),
        refundClaimsUntil: new Date(now + 91 * DAY_MS).toISOString(),
      },
      secret,
    );
    expect(announced.status).toBe(201);
    await h.post('/v1/sandbox/clock/advance', { seconds: DAY_MS / 1000 + 1 }, secret);
    await h.drain();
    const filed = await h.post('/v1/refund-claims', { walletId: alice.walletId, method: 'postal_payout' }, secret);
    expect(filed.status).toBe(201);
    await h.drain();

    const aliceTokens = await c.signIn(alice.who);
    const mine = await h.get('/v1/refund-claims', { token: aliceTokens.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ id: filed.body.id, walletId: alice.walletId, amount: 4_000 })]);
    const bobTokens = await c.signIn(bob.who);
    expect((await h.get('/v1/refund-claims', { token: bobTokens.accessToken })).body).toEqual({ data: [], has_more: false });
    expect((await h.get('/v1/refund-claims', secret)).body.data).toHaveLength(1);
  });
});
