import { describe, expect, jest, test } from '@jest/globals';
import type { Job } from 'bullmq';
import { Queues } from '#core';
import { SettleTopup, TOPUP_JOBS, TopupProcessor } from '#topup';
import { Customers, type CustomerIdentity, type Tokens } from '../support/customers.js';
import { useHarness, type Reply, type SandboxKeys } from '../support/harness.js';

const h = useHarness();

interface Customer {
  sandbox: SandboxKeys;
  c: Customers;
  who: CustomerIdentity;
  walletId: string;
  /** A session that just passed the second factor (stepped up for 10 minutes). */
  tokens: Tokens;
}

async function customer(sandbox?: SandboxKeys): Promise<Customer> {
  const s = sandbox ?? (await h.createSandbox());
  const c = new Customers(h, s);
  const onboarded = await c.onboard();
  return { sandbox: s, c, who: onboarded.who, walletId: onboarded.walletId, tokens: onboarded.tokens };
}

const addCard = (me: Customer, number: string) =>
  h.post('/v1/cards', { number, expMonth: 12, expYear: 2031, cvc: '123' }, { token: me.tokens.accessToken });
const topup = (me: Customer, body: Record<string, unknown>) => h.post('/v1/topups', body, { token: me.tokens.accessToken });
const status = async (me: Customer, id: string) => (await h.get(`/v1/topups/${id}`, { token: me.tokens.accessToken })).body;
const balance = async (me: Customer) => (await h.get('/v1/wallet', { token: me.tokens.accessToken })).body.balance;

async function cardTopup(me: Customer, number: string, amount = 10_000): Promise<Reply> {
  const card = await addCard(me, number);
  expect(card.status).toBe(201);
  const reply = await topup(me, { amount, channel: 'card', cardId: card.body.id });
  expect(reply.status).toBe(202);
  expect(reply.body).toMatchObject({ status: 'pending', amount, channel: 'card' });
  await h.drain();
  return reply;
}

/** A card top-up against a gateway that fails every authorisation (the worker keeps retrying its funding job). */
async function topupThroughBrokenGateway(me: Customer): Promise<Reply> {
  await h.post('/v1/topup-settings', { gateway: { failureRate: 1 } }, { token: me.sandbox.secretKey });
  const card = (await addCard(me, '4242424242424242')).body;
  return topup(me, { amount: 3_000, channel: 'card', cardId: card.id });
}

/** The funding jobs of a top-up still queued: waiting, running or awaiting a retry. */
async function fundingJobs(topupId: string): Promise<Job[]> {
  const queue = h.api.get(Queues).get('topup');
  const jobs = await queue.getJobs(['delayed', 'waiting', 'active']);
  return jobs.filter((job) => job.name === 'topup.on-screened' && job.data.data.topupId === topupId);
}

describe('cards', () => {
  test('only brand, last4 and a token are kept; adding a card needs a recent second factor', async () => {
    const me = await customer();
    const card = await addCard(me, '4242424242424242');
    expect(card.body).toMatchObject({ id: expect.stringMatching(/^crd_/), brand: 'visa', last4: '4242', expMonth: 12, expYear: 2031 });
    const rows = await h.db.rows(`SELECT * FROM topup_cards WHERE id = $1`, [card.body.id]);
    expect(JSON.stringify(rows)).not.toContain('4242424242424242');
    expect(JSON.stringify(rows)).not.toContain('"123"');

    const later = await me.c.signIn(me.who); // trusted phone: no factor this time
    const refused = await h.post(
      '/v1/cards',
      { number: '4242424242424242', expMonth: 1, expYear: 2030, cvc: '999' },
      { token: later.accessToken },
    );
    expect(refused.body.code).toBe('step_up_required');
  });

  test('a card top-up from a session without a fresh second factor asks for one, writes nothing, and goes through once it is passed', async () => {
    const me = await customer();
    const card = (await addCard(me, '4242424242424242')).body;
    me.tokens = await me.c.signIn(me.who); // the trusted phone: signed in without a second factor
    const refused = await topup(me, { amount: 5_000, channel: 'card', cardId: card.id });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'step_up_required', challengeId: expect.stringMatching(/^chl_/) });
    expect(await h.db.rows(`SELECT id FROM topup_topups WHERE wallet_id = $1`, [me.walletId])).toEqual([]);

    const verified = await me.c.verify(refused.body.challengeId, await me.c.latestCode(me.who.phone), me.tokens.accessToken);
    expect(verified.status).toBe(200);
    const accepted = await topup(me, { amount: 5_000, channel: 'card', cardId: card.id });
    expect(accepted.status).toBe(202);
    await h.drain();
    expect(await status(me, accepted.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await balance(me)).toBe(5_000);
  });

  test.each([
    ['4242424242424242', 'succeeded', null],
    ['4000000000000002', 'failed', 'card_declined'],
    ['4000000000009995', 'failed', 'insufficient_funds'],
    ['4000000000000069', 'failed', 'expired_card'],
    ['4000000000000119', 'succeeded', null],
  ])('card %s: the top-up %s %s', async (number, outcome, failureCode) => {
    const me = await customer();
    const reply = await cardTopup(me, number);
    expect(await status(me, reply.body.id)).toMatchObject({ status: outcome, failureCode });
    expect(await balance(me)).toBe(outcome === 'succeeded' ? 10_000 : 0);
  });

  test('3-D Secure: the issuer sends a code; the right one settles the top-up, three wrong ones fail it', async () => {
    const me = await customer();
    const passed = await cardTopup(me, '4000000000003220');
    expect(await status(me, passed.body.id)).toMatchObject({ status: 'pending', nextAction: { type: 'three_d_secure' } });
    const code = await me.c.latestCode(me.who.phone);
    const verified = await h.post(`/v1/topups/${passed.body.id}/three-d-secure`, { code }, { token: me.tokens.accessToken });
    expect(verified.status).toBe(200);
    await h.drain();
    expect(await status(me, passed.body.id)).toMatchObject({ status: 'succeeded', nextAction: null });

    const failing = await topup(me, { amount: 5_000, channel: 'card', cardId: passed.body.cardId });
    await h.drain();
    const right = await me.c.latestCode(me.who.phone);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < 3; i++)
      expect((await h.post(`/v1/topups/${failing.body.id}/three-d-secure`, { code: wrong }, { token: me.tokens.accessToken })).status).toBe(
        401,
      );
    expect(await status(me, failing.body.id)).toMatchObject({ status: 'failed', failureCode: 'three_d_secure_failed' });
    expect(await balance(me)).toBe(10_000);
  });
});

describe('other channels', () => {
  test('bank debit from a registered account; a declining account fails the top-up', async () => {
    const me = await customer();
    const good = await h.post(
      '/v1/bank-accounts',
      { bankCode: '0001', branchCode: '123', accountNumber: '1234567', holder: 'ヤマダ タロウ' },
      { token: me.tokens.accessToken },
    );
    expect(good.body).toMatchObject({ id: expect.stringMatching(/^bnk_/), last4: '4567' });
    const bad = await h.post(
      '/v1/bank-accounts',
      { bankCode: '0001', branchCode: '123', accountNumber: '0000002', holder: 'ヤマダ タロウ' },
      { token: me.tokens.accessToken },
    );
    const ok = await topup(me, { amount: 20_000, channel: 'bank_debit', bankAccountId: good.body.id });
    const ko = await topup(me, { amount: 5_000, channel: 'bank_debit', bankAccountId: bad.body.id });
    await h.drain();
    expect(await status(me, ok.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await status(me, ko.body.id)).toMatchObject({ status: 'failed', failureCode: 'card_declined' });
    expect(await balance(me)).toBe(20_000);
  });

  test('points convert 1:1 and cannot be spent twice', async () => {
    const me = await customer();
    expect((await h.post(`/v1/sandbox/wallets/${me.walletId}/points`, { points: 5_000 }, { token: me.sandbox.secretKey })).body).toEqual({
      walletId: me.walletId,
      points: 5_000,
    });
    expect((await topup(me, { amount: 3_000, channel: 'points' })).status).toBe(202);
    expect((await topup(me, { amount: 3_000, channel: 'points' })).body.code).toBe('insufficient_balance');
    await h.drain();
    expect(await balance(me)).toBe(3_000);
  });

  test('ATM: the app gets a deposit code, the ATM deposits against it once', async () => {
    const me = await customer();
    const requested = await topup(me, { amount: 100_000, channel: 'atm' });
    expect(requested.body).toMatchObject({
      status: 'pending',
      nextAction: { type: 'atm_deposit', depositCode: expect.stringMatching(/^\d{12}$/) },
    });
    const depositCode = requested.body.nextAction.depositCode;
    await h.drain();
    expect(await balance(me)).toBe(0);
    const deposit = await h.post('/v1/sandbox/atm/deposits', { depositCode }, { token: me.sandbox.secretKey });
    expect(deposit.status).toBe(202);
    await h.drain();
    expect(await status(me, requested.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await balance(me)).toBe(100_000);
    expect((await h.post('/v1/sandbox/atm/deposits', { depositCode }, { token: me.sandbox.secretKey })).body.code).toBe('code_used');
  });

  test("register cash: the store scans the customer's payment code and takes the cash", async () => {
    const me = await customer();
    const store = (await h.post('/v1/stores', { name: 'Cash Register' }, { token: me.sandbox.secretKey })).body;
    const { code } = (await h.post('/v1/payment-codes', undefined, { token: me.tokens.accessToken })).body;
    const reply = await h.post('/v1/register-topups', { code, amount: 49_000 }, { token: store.apiKey });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ channel: 'register_cash', storeId: store.id, walletId: me.walletId });
    await h.drain();
    expect((await h.get(`/v1/topups/${reply.body.id}`, { token: store.apiKey })).body.status).toBe('succeeded');
    expect(await balance(me)).toBe(49_000);
    expect((await h.post('/v1/register-topups', { code, amount: 1_000 }, { token: store.apiKey })).body.code).toBe('code_used');
    const tx = await h.get('/v1/wallet/transactions', { token: me.tokens.accessToken });
    expect(tx.body.data[0]).toMatchObject({
      type: 'topup',
      amount: 49_000,
      reference: { topupId: reply.body.id, channel: 'register_cash' },
    });
  });
});

describe('limits', () => {
  test('per channel: the most per top-up and the unit', async () => {
    const me = await customer();
    const card = (await addCard(me, '4242424242424242')).body;
    const over = await topup(me, { amount: 31_000, channel: 'card', cardId: card.id });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'limit_exceeded', limit: 'card.max', max: 30_000 });
    const unit = await topup(me, { amount: 1_500, channel: 'card', cardId: card.id });
    expect(unit.status).toBe(400);
    expect(unit.body.errors[0].message).toMatch(/multiple of ¥1,000/);
    expect((await topup(me, { amount: 101_000, channel: 'atm' })).body.limit).toBe('atm.max');
    expect((await h.post(`/v1/sandbox/wallets/${me.walletId}/points`, { points: 200_000 }, { token: me.sandbox.secretKey })).status).toBe(
      201,
    );
    expect((await topup(me, { amount: 100_001, channel: 'points' })).body.limit).toBe('points.max');
  });

  test('100 concurrent top-ups of one wallet: the daily cap of ¥300,000 holds exactly', async () => {
    const me = await customer();
    // The fraud rules would decline such a burst (and give its cap back): this test is about the cap alone.
    await h.post('/v1/fraud/settings', { thresholds: { stepUp: 1_000, review: 1_000, block: 1_000 } }, { token: me.sandbox.secretKey });
    await h.post(`/v1/sandbox/wallets/${me.walletId}/points`, { points: 1_000_000 }, { token: me.sandbox.secretKey });
    const replies = await Promise.all(Array.from({ length: 100 }, () => topup(me, { amount: 10_000, channel: 'points' })));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(30);
    const refused = replies.filter((r) => r.status === 422);
    expect(refused).toHaveLength(70);
    expect(refused.every((r) => r.body.limit === 'daily_cap')).toBe(true);
    await h.drain();
    expect(await balance(me)).toBe(300_000);
    // The next day (Japan time) the cap starts again; the access token has lapsed by then, so refresh it.
    await h.post('/v1/sandbox/clock/advance', { seconds: 86_400 }, { token: me.sandbox.secretKey });
    me.tokens = (await me.c.refresh(me.tokens.refreshToken)).body;
    expect((await topup(me, { amount: 10_000, channel: 'points' })).status).toBe(202);
  });

  test('the maximum balance counts top-ups in flight; limits are configurable per sandbox', async () => {
    const me = await customer();
    const settings = await h.post(
      '/v1/topup-settings',
      { limits: { maxBalance: 50_000, channels: { card: { max: 5_000 } } } },
      { token: me.sandbox.secretKey },
    );
    expect(settings.body.limits).toMatchObject({ maxBalance: 50_000, dailyCap: 300_000, channels: { card: { max: 5_000, unit: 1_000 } } });
    await h.post(`/v1/sandbox/wallets/${me.walletId}/fund`, { amount: 40_000 }, { token: me.sandbox.secretKey });
    const card = (await addCard(me, '4242424242424242')).body;
    expect((await topup(me, { amount: 6_000, channel: 'card', cardId: card.id })).body.limit).toBe('card.max');
    expect((await topup(me, { amount: 5_000, channel: 'card', cardId: card.id })).status).toBe(202);
    expect((await topup(me, { amount: 5_000, channel: 'card', cardId: card.id })).status).toBe(202);
    const full = await topup(me, { amount: 1_000, channel: 'card', cardId: card.id });
    expect(full.body).toMatchObject({ code: 'limit_exceeded', limit: 'max_balance', max: 50_000 });
    // A card top-up is one statement, with no transaction to roll back: its refusal must not have counted the ¥1,000 as used today.
    const [usage] = await h.db.rows<{ amount: string }>(`SELECT amount FROM topup_daily_usage WHERE sandbox_id = $1 AND wallet_id = $2`, [
      me.sandbox.id,
      me.walletId,
    ]);
    expect(usage.amount).toBe('10000');
    const other = await customer();
    expect((await h.get('/v1/topup-settings', { token: other.sandbox.secretKey })).body.limits.maxBalance).toBe(500_000);
  });
});

describe('deadlines: a top-up waiting on the customer or the gateway does not wait for ever', () => {
  const advance = async (me: Customer, seconds: number) => {
    await h.post('/v1/sandbox/clock/advance', { seconds }, { token: me.sandbox.secretKey });
    await h.drain();
    // The access token lives 15 minutes of sandbox time.
    me.tokens = (await me.c.refresh(me.tokens.refreshToken)).body;
  };
  const failedEvents = async (me: Customer, id: string) =>
    (await h.get('/v1/events?type=topup.failed', { token: me.sandbox.secretKey })).body.data.filter((e: any) => e.data.topupId === id);

  test('an ATM code not deposited against in 30 minutes fails its top-up and frees the maximum balance; one deposited in time settles', async () => {
    const me = await customer();
    await h.post('/v1/topup-settings', { limits: { maxBalance: 150_000 } }, { token: me.sandbox.secretKey });
    const used = await topup(me, { amount: 50_000, channel: 'atm' });
    const unused = await topup(me, { amount: 100_000, channel: 'atm' });
    expect(unused.body.nextAction.expiresAt).toBe(new Date(Date.parse(unused.body.createdAt) + 30 * 60_000).toISOString());
    expect((await topup(me, { amount: 1_000, channel: 'atm' })).body.limit).toBe('max_balance');
    expect(
      (await h.post('/v1/sandbox/atm/deposits', { depositCode: used.body.nextAction.depositCode }, { token: me.sandbox.secretKey })).status,
    ).toBe(202);
    await h.drain();

    await advance(me, 30 * 60 + 1);
    expect(await status(me, used.body.id)).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(await failedEvents(me, used.body.id)).toEqual([]);
    expect(await status(me, unused.body.id)).toMatchObject({ status: 'failed', failureCode: 'deposit_code_expired', nextAction: null });
    expect(await failedEvents(me, unused.body.id)).toHaveLength(1);
    const late = await h.post(
      '/v1/sandbox/atm/deposits',
      { depositCode: unused.body.nextAction.depositCode },
      { token: me.sandbox.secretKey },
    );
    expect(late.body.code).toBe('code_expired');
    expect((await topup(me, { amount: 100_000, channel: 'atm' })).status).toBe(202);
    expect(await balance(me)).toBe(50_000);
  });

  test('a 3-D Secure challenge not answered in 15 minutes fails its top-up; its code no longer works', async () => {
    const me = await customer();
    const reply = await cardTopup(me, '4000000000003220', 30_000);
    const challenged = await status(me, reply.body.id);
    expect(Date.parse(challenged.nextAction.expiresAt)).toBe(Date.parse(challenged.updatedAt) + 15 * 60_000);
    const code = await me.c.latestCode(me.who.phone);

    await advance(me, 15 * 60 + 1);
    expect(await status(me, reply.body.id)).toMatchObject({ status: 'failed', failureCode: 'three_d_secure_expired', nextAction: null });
    expect(await failedEvents(me, reply.body.id)).toHaveLength(1);
    expect((await h.post(`/v1/topups/${reply.body.id}/three-d-secure`, { code }, { token: me.tokens.accessToken })).status).toBe(400);
    await h.drain();
    expect(await balance(me)).toBe(0);
    const [usage] = await h.db.rows<{ amount: string }>(
      `SELECT coalesce(sum(amount), 0) AS amount FROM topup_daily_usage WHERE wallet_id = $1`,
      [me.walletId],
    );
    expect(usage.amount).toBe('0');
  });

  test("the funding job's last try, with the gateway still down, fails the top-up (gateway_unavailable) instead of leaving it pending", async () => {
    const me = await customer();
    const reply = await topupThroughBrokenGateway(me);
    let job: Job | undefined;
    for (let i = 0; i < 200 && !job; i++) {
      [job] = await fundingJobs(reply.body.id);
      if (!job) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job).toBeDefined();
    const attempts = TOPUP_JOBS.jobs['topup.on-screened'].attempts;
    const lastTry = {
      id: `${job!.id}-last`,
      name: job!.name,
      data: job!.data,
      opts: { ...job!.opts, attempts },
      attemptsMade: attempts - 1,
    };
    await h.worker!.get(TopupProcessor).process(lastTry as Job);
    expect(await status(me, reply.body.id)).toMatchObject({ status: 'failed', failureCode: 'gateway_unavailable' });

    await h.post('/v1/topup-settings', { gateway: { failureRate: 0 } }, { token: me.sandbox.secretKey });
    await h.drain(30_000);
    expect(await status(me, reply.body.id)).toMatchObject({ status: 'failed', failureCode: 'gateway_unavailable' });
    expect(await failedEvents(me, reply.body.id)).toHaveLength(1);
    expect(await balance(me)).toBe(0);
  });
});

describe('exactly one credit', () => {
  // The failure is a trigger on the outbox; Citus runs no triggers on a distributed table, so on a cluster it is not made.
  const onPlainPostgres = process.env.DATABASE_TOPOLOGY === 'citus' ? test.skip : test;
  onPlainPostgres('a settlement failing after its posting, before it commits, credits once after the retry', async () => {
    const me = await customer();
    // The settlement's last write, its event, fails on the first try: the posting before it must roll back with it.
    const failures = `topup_spec_failures_${me.sandbox.id}`;
    await h.db.rows(`CREATE SEQUENCE ${failures}`);
    await h.db.rows(
      `CREATE FUNCTION ${failures}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF nextval('${failures}') = 1 THEN RAISE EXCEPTION 'worker died after posting'; END IF;
         RETURN NEW;
       END $$`,
    );
    await h.db.rows(
      `CREATE TRIGGER ${failures} BEFORE INSERT ON outbox_events FOR EACH ROW
        WHEN (NEW.sandbox_id = '${me.sandbox.id}' AND NEW.type = 'topup.succeeded') EXECUTE FUNCTION ${failures}()`,
    );
    try {
      const reply = await cardTopup(me, '4242424242424242', 7_000);
      const [tries] = await h.db.rows<{ last_value: string }>(`SELECT last_value FROM ${failures}`);
      expect(Number(tries.last_value)).toBeGreaterThanOrEqual(2);
      expect(await status(me, reply.body.id)).toMatchObject({ status: 'succeeded' });
      expect(await balance(me)).toBe(7_000);
      const transfers = await h.db.rows(`SELECT 1 FROM ledger_transfers WHERE sandbox_id = $1 AND key = $2`, [
        me.sandbox.id,
        `topup/${reply.body.id}`,
      ]);
      expect(transfers).toHaveLength(1);
    } finally {
      await h.db.rows(`DROP TRIGGER ${failures} ON outbox_events`);
      await h.db.rows(`DROP FUNCTION ${failures}()`);
      await h.db.rows(`DROP SEQUENCE ${failures}`);
    }
  });

  test('a job that dies after its settlement committed is retried and changes nothing', async () => {
    const me = await customer();
    const settle = h.worker!.get(SettleTopup);
    const real = settle.onScreened.bind(settle);
    let runs = 0;
    const spy = jest.spyOn(settle, 'onScreened').mockImplementation(async (...args) => {
      await real(...args);
      if (runs++ === 0) throw new Error('worker died after committing');
    });
    const reply = await cardTopup(me, '4242424242424242', 8_000);
    spy.mockRestore();
    expect(runs).toBe(2);
    expect(await status(me, reply.body.id)).toMatchObject({ status: 'succeeded' });
    expect(await balance(me)).toBe(8_000);
    const succeeded = await h.get('/v1/events?type=topup.succeeded', { token: me.sandbox.secretKey });
    expect(succeeded.body.data.filter((e: any) => e.data.topupId === reply.body.id)).toHaveLength(1);
  });

  test('injected gateway failures are retried until the gateway heals', async () => {
    const me = await customer();
    const reply = await topupThroughBrokenGateway(me);
    // Wait until the worker has failed at least twice against the broken gateway.
    let attempts = 0;
    for (let i = 0; i < 200 && attempts < 2; i++) {
      attempts = Math.max(attempts, ...(await fundingJobs(reply.body.id)).map((job) => job.attemptsMade));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(await status(me, reply.body.id)).toMatchObject({ status: 'pending' });
    await h.post('/v1/topup-settings', { gateway: { failureRate: 0 } }, { token: me.sandbox.secretKey });
    await h.drain(30_000);
    expect(await status(me, reply.body.id)).toMatchObject({ status: 'succeeded' });
  });
});
