import { beforeAll, describe, expect, test } from '@jest/globals';
import { type SandboxContext, SandboxTime } from '#core';
import { ExpireTopups, ResolveHeldTopups, SettleTopup } from '#topup';
import { Customers, type Tokens } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';

// No worker: the screening decision is handed to the top-up module by the test itself.
const h = useHarness({ worker: false });
let sandbox: SandboxKeys;
let tokens: Tokens;
let walletId: string;
let cardId: string;
let bankAccountId: string;
let strangersCard: string;
let storeKey: string;
let paymentCode: string;
let usedPaymentCode: string;
let usedDepositCode: string;

beforeAll(async () => {
  sandbox = await h.createSandbox();
  const me = await new Customers(h, sandbox).onboard();
  tokens = me.tokens;
  walletId = me.walletId;
  cardId = (
    await h.post('/v1/cards', { number: '4242424242424242', expMonth: 1, expYear: 2032, cvc: '321' }, { token: tokens.accessToken })
  ).body.id;
  bankAccountId = (
    await h.post(
      '/v1/bank-accounts',
      { bankCode: '0001', branchCode: '123', accountNumber: '1234567', holder: 'ヤマダ タロウ' },
      { token: tokens.accessToken },
    )
  ).body.id;
  storeKey = (await h.post('/v1/stores', { name: 'Corner Register' }, { token: sandbox.secretKey })).body.apiKey;
  const paymentCodeNow = async () => (await h.post('/v1/payment-codes', undefined, { token: tokens.accessToken })).body.code as string;
  usedPaymentCode = await paymentCodeNow();
  expect((await h.post('/v1/register-topups', { code: usedPaymentCode, amount: 1_000 }, { token: storeKey })).status).toBe(202);
  paymentCode = await paymentCodeNow();
  usedDepositCode = (await h.post('/v1/topups', { amount: 1_000, channel: 'atm' }, { token: tokens.accessToken })).body.nextAction
    .depositCode;
  expect((await h.post('/v1/sandbox/atm/deposits', { depositCode: usedDepositCode }, { token: sandbox.secretKey })).status).toBe(202);
  const stranger = await new Customers(h, sandbox).onboard();
  strangersCard = (
    await h.post(
      '/v1/cards',
      { number: '4242424242424242', expMonth: 1, expYear: 2032, cvc: '321' },
      { token: stranger.tokens.accessToken },
    )
  ).body.id;
});

async function footprint(): Promise<unknown> {
  const [row] = await h.db.rows(
    `SELECT (SELECT count(*) FROM topup_topups WHERE sandbox_id = $1) AS topups,
            (SELECT coalesce(sum(amount), 0) FROM topup_daily_usage WHERE sandbox_id = $1) AS usage,
            (SELECT count(*) FROM topup_cards WHERE sandbox_id = $1) AS cards,
            (SELECT count(*) FROM topup_atm_codes WHERE sandbox_id = $1 AND used_at IS NOT NULL) AS deposits,
            (SELECT count(*) FROM barcode_payment_codes WHERE sandbox_id = $1 AND status = 'used') AS payment_codes_used,
            (SELECT count(*) FROM outbox_events WHERE sandbox_id = $1) AS events`,
    [sandbox.id],
  );
  return row;
}

interface BadInput {
  name: string;
  path: string;
  body: () => unknown;
  raw?: string;
  /** Whose call it is: the customer's unless the path is the register's or the ATM's. */
  token?: () => string;
  status: number;
  code: string;
  /** For limit_exceeded: the limit named. */
  limit?: string;
}

const topups = (body: () => unknown) => ({ path: '/v1/topups', body });
const register = (body: () => unknown) => ({ path: '/v1/register-topups', body, token: () => storeKey });
const atm = (body: () => unknown) => ({ path: '/v1/sandbox/atm/deposits', body, token: () => sandbox.secretKey });
const invalid = { status: 400, code: 'invalid_request' };

const cases: BadInput[] = [
  { name: 'a zero amount', path: '/v1/topups', body: () => ({ amount: 0, channel: 'card', cardId }), status: 400, code: 'invalid_request' },
  {
    name: 'a negative amount',
    path: '/v1/topups',
    body: () => ({ amount: -1_000, channel: 'card', cardId }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a fractional amount',
    path: '/v1/topups',
    body: () => ({ amount: 1_000.5, channel: 'card', cardId }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an amount as a string',
    path: '/v1/topups',
    body: () => ({ amount: '1000', channel: 'card', cardId }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an amount beyond safe integers',
    path: '/v1/topups',
    body: () => undefined,
    raw: '{"amount": 9007199254740993, "channel": "points"}',
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a wrong unit',
    path: '/v1/topups',
    body: () => ({ amount: 1_234, channel: 'card', cardId }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an unknown channel',
    path: '/v1/topups',
    body: () => ({ amount: 1_000, channel: 'bitcoin' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a card top-up without a card',
    path: '/v1/topups',
    body: () => ({ amount: 1_000, channel: 'card' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: "someone else's card",
    path: '/v1/topups',
    body: () => ({ amount: 1_000, channel: 'card', cardId: strangersCard }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'register cash started from the app',
    path: '/v1/topups',
    body: () => ({ amount: 1_000, channel: 'register_cash' }),
    status: 400,
    code: 'invalid_request',
  },
  { name: 'a bank debit not in ¥1,000 units', ...topups(() => ({ amount: 1_500, channel: 'bank_debit', bankAccountId })), ...invalid },
  { name: 'an ATM top-up not in ¥1,000 units', ...topups(() => ({ amount: 1_500, channel: 'atm' })), ...invalid },
  {
    name: 'a bank debit over ¥30,000',
    ...topups(() => ({ amount: 31_000, channel: 'bank_debit', bankAccountId })),
    status: 422,
    code: 'limit_exceeded',
    limit: 'bank_debit.max',
  },
  {
    name: 'a card number failing the Luhn check',
    path: '/v1/cards',
    body: () => ({ number: '4242424242424241', expMonth: 1, expYear: 2032, cvc: '123' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an expired card',
    path: '/v1/cards',
    body: () => ({ number: '4242424242424242', expMonth: 1, expYear: 2020, cvc: '123' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a card with a malformed cvc',
    path: '/v1/cards',
    body: () => ({ number: '4242424242424242', expMonth: 1, expYear: 2032, cvc: '12' }),
    status: 400,
    code: 'invalid_request',
  },
];

cases.push(
  {
    name: 'register: cash over ¥49,000',
    ...register(() => ({ code: paymentCode, amount: 49_001 })),
    status: 422,
    code: 'limit_exceeded',
    limit: 'register_cash.max',
  },
  { name: 'register: a zero amount', ...register(() => ({ code: paymentCode, amount: 0 })), ...invalid },
  { name: 'register: a fractional amount', ...register(() => ({ code: paymentCode, amount: 999.5 })), ...invalid },
  { name: 'register: an amount as a string', ...register(() => ({ code: paymentCode, amount: '1000' })), ...invalid },
  { name: 'register: no amount', ...register(() => ({ code: paymentCode })), ...invalid },
  { name: 'register: a code that is not 22 digits', ...register(() => ({ code: paymentCode.slice(1), amount: 1_000 })), ...invalid },
  { name: 'register: no code', ...register(() => ({ amount: 1_000 })), ...invalid },
  { name: 'register: a body that is not JSON', ...register(() => undefined), raw: '{"code": ', ...invalid },
  {
    name: 'register: a code never issued',
    ...register(() => ({ code: '7900000000000000000000', amount: 1_000 })),
    status: 422,
    code: 'code_invalid',
  },
  { name: 'register: a code already used', ...register(() => ({ code: usedPaymentCode, amount: 1_000 })), status: 409, code: 'code_used' },
  { name: 'ATM: a code that is not 12 digits', ...atm(() => ({ depositCode: '12345' })), ...invalid },
  { name: 'ATM: a code as a number', ...atm(() => ({ depositCode: 123456789012 })), ...invalid },
  { name: 'ATM: no code', ...atm(() => ({})), ...invalid },
  { name: 'ATM: a body that is not JSON', ...atm(() => undefined), raw: '[', ...invalid },
  { name: 'ATM: a code never issued', ...atm(() => ({ depositCode: '000000000000' })), status: 422, code: 'code_invalid' },
  { name: 'ATM: a code already used', ...atm(() => ({ depositCode: usedDepositCode })), status: 409, code: 'code_used' },
);

describe('top-up bad input: a stable 4xx and nothing written', () => {
  test.each(cases)('$name', async ({ path, body, raw, token, status, code, limit }) => {
    const before = await footprint();
    const reply = await h.request('POST', path, body(), { token: token ? token() : tokens.accessToken, raw });
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
    if (limit) expect(reply.body.limit).toBe(limit);
    expect(await footprint()).toEqual(before);
  });
});

describe('seeding points', () => {
  test('stops at 10,000,000 points a wallet: beyond, 422 limit_exceeded and nothing written', async () => {
    const points = async (wallet: string) =>
      (await h.db.rows(`SELECT balance FROM topup_points WHERE sandbox_id = $1 AND wallet_id = $2`, [sandbox.id, wallet]))[0]?.balance;
    const seed = (wallet: string, amount: number) =>
      h.post(`/v1/sandbox/wallets/${wallet}/points`, { points: amount }, { token: sandbox.secretKey });
    const full = await h.createWallet(sandbox);
    expect((await seed(full, 9_999_999)).body.points).toBe(9_999_999);
    expect((await seed(full, 1)).body.points).toBe(10_000_000);
    const empty = await h.createWallet(sandbox);
    for (const [wallet, amount] of [
      [full, 1],
      [full, Number.MAX_SAFE_INTEGER],
      [empty, 10_000_001],
      [empty, Number.MAX_SAFE_INTEGER],
    ] as const) {
      const refused = await seed(wallet, amount);
      expect({ status: refused.status, ...refused.body }).toMatchObject({
        status: 422,
        code: 'limit_exceeded',
        limit: 'points.balance',
        max: 10_000_000,
      });
    }
    expect(await points(full)).toBe('10000000');
    expect(await points(empty)).toBeUndefined();
  });
});

describe('the screening decision point', () => {
  async function requested(amount: number, channel = 'card'): Promise<{ id: string; context: SandboxContext }> {
    const body = channel === 'card' ? { amount, channel, cardId } : { amount, channel };
    const reply = await h.post('/v1/topups', body, { token: tokens.accessToken });
    expect(reply.status).toBe(202);
    const [row] = await h.db.rows<{ clock_offset_ms: string }>(`SELECT clock_offset_ms FROM sandboxes WHERE id = $1`, [sandbox.id]);
    return {
      id: reply.body.id,
      context: { id: sandbox.id, securityProfile: 'hardened', time: new SandboxTime(Number(row.clock_offset_ms)) },
    };
  }

  const screened = (id: string, amount: number, decision: 'approve' | 'hold' | 'decline') => ({
    eventId: 'evt_test',
    sandboxId: sandbox.id,
    type: 'fraud.topup_screened' as const,
    requestId: null,
    occurredAt: new Date().toISOString(),
    data: {
      topupId: id,
      walletId,
      userId: null,
      channel: 'card',
      amount,
      cardId,
      storeId: null,
      decision,
      screeningId: 'scr_test',
      reasons: ['test'],
    },
  });

  test('decline fails the top-up and gives the daily cap back', async () => {
    const before = await footprint();
    const { id, context } = await requested(2_000);
    await h.api.get(SettleTopup).onScreened(context, screened(id, 2_000, 'decline'), 0);
    expect((await h.get(`/v1/topups/${id}`, { token: tokens.accessToken })).body).toMatchObject({
      status: 'failed',
      failureCode: 'declined_by_screening',
    });
    const [usage] = await h.db.rows<{ amount: string }>(
      `SELECT coalesce(sum(amount), 0) AS amount FROM topup_daily_usage WHERE sandbox_id = $1`,
      [sandbox.id],
    );
    expect(usage.amount).toBe((before as { usage: string }).usage);
  });

  test('hold reserves the funds for the wallet as a pending transfer without crediting it', async () => {
    const { id, context } = await requested(3_000);
    await h.api.get(SettleTopup).onScreened(context, screened(id, 3_000, 'hold'), 0);
    expect((await h.get(`/v1/topups/${id}`, { token: tokens.accessToken })).body.status).toBe('held');
    expect((await h.get('/v1/wallet', { token: tokens.accessToken })).body.balance).toBe(0);
    const [pending] = await h.db.rows<{ status: string; amount: string }>(
      `SELECT p.status, p.amount FROM ledger_pending_transfers p JOIN topup_topups t ON t.pending_id = p.id AND t.sandbox_id = p.sandbox_id WHERE t.id = $1`,
      [id],
    );
    expect(pending).toEqual({ status: 'pending', amount: '3000' });
  });

  test('approve settles once, however often the decision is delivered', async () => {
    const { id, context } = await requested(4_000);
    await h.api.get(SettleTopup).onScreened(context, screened(id, 4_000, 'approve'), 0);
    await h.api.get(SettleTopup).onScreened(context, screened(id, 4_000, 'approve'), 1);
    expect((await h.get(`/v1/topups/${id}`, { token: tokens.accessToken })).body.status).toBe('succeeded');
    expect((await h.get('/v1/wallet', { token: tokens.accessToken })).body.balance).toBe(4_000);
  });

  test('fraud confirmed on a held points top-up gives back its points and its daily usage', async () => {
    const pointsAndUsage = async () =>
      (
        await h.db.rows(
          `SELECT (SELECT balance FROM topup_points WHERE sandbox_id = $1 AND wallet_id = $2) AS points,
                  (SELECT coalesce(sum(amount), 0) FROM topup_daily_usage WHERE sandbox_id = $1) AS usage`,
          [sandbox.id, walletId],
        )
      )[0];
    await h.post(`/v1/sandbox/wallets/${walletId}/points`, { points: 5_000 }, { token: sandbox.secretKey });
    const before = await pointsAndUsage();
    const { id, context } = await requested(5_000, 'points');
    await h.api.get(SettleTopup).onScreened(context, screened(id, 5_000, 'hold'), 0);
    await h.api.get(ResolveHeldTopups).cancel(context, [id]);
    expect((await h.get(`/v1/topups/${id}`, { token: tokens.accessToken })).body).toMatchObject({
      status: 'canceled',
      failureCode: 'fraud_confirmed',
    });
    expect(await pointsAndUsage()).toEqual(before);
  });

  test.each(['request', 'settlement'] as const)(
    'the maximum balance counts a top-up settling during the check exactly once: the %s takes the wallet first',
    async (first) => {
      const other = await h.createSandbox();
      const me = await new Customers(h, other).onboard();
      await h.post('/v1/topup-settings', { limits: { maxBalance: 50_000 } }, { token: other.secretKey });
      await h.post(`/v1/sandbox/wallets/${me.walletId}/points`, { points: 60_000 }, { token: other.secretKey });
      const topup = (amount: number) => h.post('/v1/topups', { amount, channel: 'points' }, { token: me.tokens.accessToken });
      const settling = await topup(30_000);
      expect(settling.status).toBe(202);
      const context: SandboxContext = { id: other.id, securityProfile: 'hardened', time: new SandboxTime(0) };
      const settle = () =>
        h.api.get(SettleTopup).onScreened(context, { ...screened(settling.body.id, 30_000, 'approve'), sandboxId: other.id }, 0);

      // The test holds the wallet while the second request's check and the first one's settlement line up for
      // it, in this round's order; then lets go.
      let letGo!: () => void;
      const holding = new Promise<void>((resolve) => (letGo = resolve));
      let holder!: (pid: number) => void;
      const held = new Promise<number>((resolve) => (holder = resolve));
      const holdingTx = h.db.transaction(async (tx) => {
        const [{ pid }] = await tx.rows<{ pid: number }>(`SELECT topup_lock_wallet($1, $2), pg_backend_pid() AS pid`, [
          other.id,
          me.walletId,
        ]);
        holder(pid);
        await holding;
      });
      const pid = await held;
      const waiting = async (count: number) => {
        for (;;) {
          const [{ n }] = await h.db.rows<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks w JOIN pg_locks g
                ON g.locktype = 'advisory' AND g.granted AND g.pid = $1
               AND w.classid = g.classid AND w.objid = g.objid AND w.objsubid = g.objsubid
             WHERE w.locktype = 'advisory' AND NOT w.granted`,
            [pid],
          );
          if (n >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const request = async () => topup(30_000);
      let second: Promise<Awaited<ReturnType<typeof topup>>>;
      let settled: Promise<void>;
      if (first === 'request') {
        second = request();
        await waiting(1);
        settled = settle();
      } else {
        settled = settle();
        await waiting(1);
        second = request();
      }
      await waiting(2);
      letGo();
      await holdingTx;
      await settled;
      expect((await second).body).toMatchObject({ code: 'limit_exceeded', limit: 'max_balance' });
      expect((await h.get('/v1/wallet', { token: me.tokens.accessToken })).body.balance).toBe(30_000);
    },
  );

  test('past its deadline a 3-D Secure code is refused and changes nothing; the expiry then fails the top-up once', async () => {
    const other = await h.createSandbox();
    const c = new Customers(h, other);
    const me = await c.onboard();
    const card = await h.post(
      '/v1/cards',
      { number: '4000000000003220', expMonth: 1, expYear: 2032, cvc: '321' },
      { token: me.tokens.accessToken },
    );
    const reply = await h.post('/v1/topups', { amount: 10_000, channel: 'card', cardId: card.body.id }, { token: me.tokens.accessToken });
    const at = (offsetMs: number): SandboxContext => ({ id: other.id, securityProfile: 'hardened', time: new SandboxTime(offsetMs) });
    const decision = { ...screened(reply.body.id, 10_000, 'approve'), sandboxId: other.id };
    await h.api.get(SettleTopup).onScreened(at(0), decision, 0);
    const code = await c.latestCode(me.who.phone);

    // No worker here: the clock moves, and nothing expires until the test runs the expiry.
    await h.post('/v1/sandbox/clock/advance', { seconds: 15 * 60 + 1 }, { token: other.secretKey });
    const tokens = (await c.refresh(me.tokens.refreshToken)).body;
    const before = await h.get(`/v1/topups/${reply.body.id}`, { token: tokens.accessToken });
    const late = await h.post(`/v1/topups/${reply.body.id}/three-d-secure`, { code }, { token: tokens.accessToken });
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 422, code: 'code_expired' });
    expect((await h.get(`/v1/topups/${reply.body.id}`, { token: tokens.accessToken })).body).toEqual(before.body);

    const expiry = h.api.get(ExpireTopups);
    await expiry.expireDue(at((15 * 60 + 1) * 1000));
    await expiry.expireDue(at((15 * 60 + 1) * 1000));
    expect((await h.get(`/v1/topups/${reply.body.id}`, { token: tokens.accessToken })).body).toMatchObject({
      status: 'failed',
      failureCode: 'three_d_secure_expired',
    });
    const failed = await h.db.rows(`SELECT 1 FROM outbox_events WHERE sandbox_id = $1 AND type = 'topup.failed'`, [other.id]);
    expect(failed).toHaveLength(1);
  });
});
