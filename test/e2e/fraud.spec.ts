import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { type EventJob } from '#core';
import { Compensation } from '#fraud';
import { SandboxContexts } from '#sandbox';
import { Customers, type CustomerIdentity, type Tokens, newIdentity } from '../support/customers.js';
import { type Reply, type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

const TOKYO = { latitude: 35.6717, longitude: 139.765 };
const OSAKA = { latitude: 34.7025, longitude: 135.4959 };

interface Case {
  sandbox: SandboxKeys;
  c: Customers;
  victim: { who: CustomerIdentity; walletId: string; tokens: Tokens };
  stores: Array<{ id: string; apiKey: string }>;
}

/** A customer with ¥5,000 of their own, signed in on their phone in Japan, and two stores in Tokyo and Osaka. */
async function setting(): Promise<Case> {
  const sandbox = await h.createSandbox();
  const c = new Customers(h, sandbox);
  const onboarded = await c.onboard(newIdentity(), '133.10.20.30');
  await h.post(`/v1/sandbox/wallets/${onboarded.walletId}/fund`, { amount: 5_000 }, { token: sandbox.secretKey });
  const stores = [];
  for (const [name, location] of [
    ['Seven Ginza', TOKYO],
    ['Seven Umeda', OSAKA],
  ] as const) {
    stores.push((await h.post('/v1/stores', { name, location }, { token: sandbox.secretKey })).body);
  }
  return { sandbox, c, victim: { who: onboarded.who, walletId: onboarded.walletId, tokens: onboarded.tokens }, stores };
}

/** The attacker signs in on a phone of their own, getting past the code (a swapped SIM, a phished code). */
async function takeOver(k: Case, ip: string): Promise<Tokens> {
  const login = await k.c.login({ ...k.victim.who, deviceId: randomUUID() }, ip);
  expect(login.body.mfaRequired).toBe(true);
  const verified = await k.c.verify(login.body.challengeId, await k.c.latestCode(k.victim.who.phone), undefined, ip);
  expect(verified.status).toBe(200);
  return verified.body;
}

/** Repeats a call after passing the step-up challenge it asked for. */
async function stepped(k: Case, token: string, call: () => Promise<Reply>): Promise<Reply> {
  const first = await call();
  if (first.body?.code !== 'step_up_required') return first;
  await k.c.verify(first.body.challengeId, await k.c.latestCode(k.victim.who.phone), token);
  return call();
}

/** Adds a card on the attacker's session, passing the step-up it asks for. */
async function addCard(k: Case, token: string): Promise<string> {
  const card = await stepped(k, token, () =>
    h.post('/v1/cards', { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' }, { token }),
  );
  expect(card.status).toBe(201);
  return card.body.id;
}

const topUp = (k: Case, token: string, cardId: string, amount = 10_000) =>
  stepped(k, token, () => h.post('/v1/topups', { amount, channel: 'card', cardId }, { token }));
/** What the sandbox's events of one type said, newest first. */
const eventsOf = async (sandbox: SandboxKeys, type: string) =>
  (await h.get(`/v1/events?type=${type}`, { token: sandbox.secretKey })).body.data.map((e: any) => e.data);
const wallet = async (k: Case, token: string) => (await h.get('/v1/wallet', { token })).body;
const balance = async (k: Case) => (await h.get(`/v1/sandbox/wallets/${k.victim.walletId}`, { token: k.sandbox.secretKey })).body.balance;
const openHolds = async (k: Case) => (await h.get('/v1/holds?status=open', { token: k.sandbox.secretKey })).body.data;

describe("7pay's attack on a hardened sandbox", () => {
  test('sign-in from abroad on a new phone, four card top-ups within a minute, cigarettes at two stores: held before more than two top-ups settle', async () => {
    const k = await setting();
    // The customer's own code from this morning: any live code of the wallet pays at a register.
    const early = (await h.post('/v1/payment-codes', undefined, { token: k.victim.tokens.accessToken })).body;
    const attacker = await takeOver(k, '185.220.101.7');
    await h.drain();
    const cardId = await addCard(k, attacker.accessToken);
    const topups: Reply[] = [];
    for (let i = 0; i < 4; i++) {
      topups.push(await topUp(k, attacker.accessToken, cardId));
    }
    await h.drain();

    const settled = [];
    for (const t of topups) {
      // Refused at once because the wallet is already held, or accepted and then held: never credited.
      if (t.status === 403) expect(t.body.code).toBe('wallet_on_hold');
      else if ((await h.get(`/v1/topups/${t.body.id}`, { token: k.sandbox.secretKey })).body.status === 'succeeded') settled.push(t);
    }
    expect(settled.length).toBeLessThanOrEqual(2);
    const holds = await openHolds(k);
    expect(holds).toHaveLength(1);
    // A new phone, abroad, in a country the customer never signed in from: held at sign-in.
    expect(holds[0]).toMatchObject({
      walletId: k.victim.walletId,
      status: 'open',
      rules: expect.arrayContaining(['login.new_device', 'login.overseas_ip']),
    });
    expect(holds[0].audit[0]).toMatchObject({ actor: 'rules', action: 'placed' });
    expect(await wallet(k, attacker.accessToken)).toMatchObject({ status: 'on_hold', holds: [{ id: holds[0].id }] });

    for (const store of k.stores) {
      const purchase = await h.post('/v1/payments', { code: early.code, amount: 5_800, category: 'tobacco' }, { token: store.apiKey });
      expect(purchase.status).toBe(403);
      expect(purchase.body.code).toBe('wallet_on_hold');
    }
    expect((await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body.code).toBe('wallet_on_hold');
    expect((await h.post('/v1/topups', { amount: 1_000, channel: 'card', cardId }, { token: attacker.accessToken })).body.code).toBe(
      'wallet_on_hold',
    );

    const hits = (await h.get(`/v1/holds/${holds[0].id}`, { token: k.sandbox.secretKey })).body;
    expect(hits.score).toBeGreaterThanOrEqual(60);
    expect(await eventsOf(k.sandbox, 'hold.placed')).toEqual([
      expect.objectContaining({ holdId: holds[0].id, walletId: k.victim.walletId, reason: 'risky sign-in', rules: holds[0].rules }),
    ]);
  });

  test('release: the wallet pays again and the held top-ups settle', async () => {
    const k = await setting();
    // Without the new-country rule the sign-in alone stays below review: the first top-up is what gets held.
    await h.post('/v1/fraud/settings', { rules: { 'login.new_country': { enabled: false } } }, { token: k.sandbox.secretKey });
    const attacker = await takeOver(k, '185.220.101.8');
    await h.drain();
    const cardId = await addCard(k, attacker.accessToken);
    await topUp(k, attacker.accessToken, cardId);
    await h.drain();
    const [hold] = await openHolds(k);
    expect(hold.topupIds).toHaveLength(1);

    const released = await h.post(
      `/v1/holds/${hold.id}/release`,
      { reason: 'the customer was travelling' },
      { token: k.sandbox.secretKey },
    );
    expect(released.body).toMatchObject({
      status: 'released',
      resolutionReason: 'the customer was travelling',
      resolvedBy: expect.stringMatching(/^operator:key_/),
    });
    expect(released.body.audit.map((a: any) => a.action)).toEqual(['placed', 'released']);
    await h.drain();
    expect((await h.get(`/v1/topups/${hold.topupIds[0]}`, { token: k.sandbox.secretKey })).body.status).toBe('succeeded');
    expect(await balance(k)).toBe(15_000);
    const owner = await wallet(k, k.victim.tokens.accessToken);
    expect(owner).toMatchObject({ status: 'active', holds: [] });
    expect((await h.post(`/v1/holds/${hold.id}/release`, {}, { token: k.sandbox.secretKey })).body.code).toBe('invalid_transition');
    expect(await eventsOf(k.sandbox, 'hold.released')).toEqual([
      { holdId: hold.id, walletId: k.victim.walletId, topupIds: hold.topupIds, resolution: 'released' },
    ]);
  });

  test('confirm fraud: the victim is made whole through the ledger and the damage report matches it to the yen', async () => {
    const k = await setting();
    // A sign-in from Japan scores lower, so some top-ups settle and the attacker gets to spend.
    const attacker = await takeOver(k, '133.99.1.1');
    await h.drain();
    const cardId = await addCard(k, attacker.accessToken);
    const spend = async (store: { apiKey: string }, amount: number) => {
      const { code } = (await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body;
      return h.post('/v1/payments', { code, amount, category: 'tobacco' }, { token: store.apiKey });
    };
    await topUp(k, attacker.accessToken, cardId);
    await h.drain();
    expect((await spend(k.stores[0], 9_800)).status).toBe(201);
    await topUp(k, attacker.accessToken, cardId);
    await h.drain();
    expect((await spend(k.stores[1], 9_500)).status).toBe(201);
    await h.drain();

    // Tokyo, then Osaka seconds later: the payment rules hold the wallet.
    const [hold] = await openHolds(k);
    expect(hold.rules).toEqual(expect.arrayContaining(['payment.impossible_travel', 'payment.high_risk_category']));
    expect((await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body.code).toBe('wallet_on_hold');
    expect(await balance(k)).toBe(5_000 + 20_000 - 19_300);

    const confirmed = await h.post(
      `/v1/holds/${hold.id}/confirm-fraud`,
      { reason: 'customer did not sign in from the new phone' },
      { token: k.sandbox.secretKey },
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', victimId: expect.stringMatching(/^vic_/) });
    await h.drain();

    expect(await balance(k)).toBe(5_000);
    expect((await h.get('/v1/account', { token: attacker.accessToken })).status).toBe(401);
    const report = (await h.get('/v1/reports/damage', { token: k.sandbox.secretKey })).body;
    expect(report).toMatchObject({
      victims: 1,
      amount: 20_000,
      compensated: { victims: 1, reimbursed: 19_300, reversed: 20_000 },
      ledger: { reimbursed: 19_300, reversed: 20_000 },
      list: [
        {
          walletId: k.victim.walletId,
          fraudulentTopups: 20_000,
          fraudulentPayments: 19_300,
          damage: 20_000,
          compensation: { status: 'paid' },
        },
      ],
    });
    const before = (await h.get(`/v1/reports/damage?asOf=${encodeURIComponent(hold.createdAt)}`, { token: k.sandbox.secretKey })).body;
    expect(before).toMatchObject({ victims: 0, amount: 0 });
    const reconciliation = (await h.get('/v1/reports/reconciliation', { token: k.sandbox.secretKey })).body;
    expect(reconciliation.ok).toBe(true);
    expect(reconciliation.totals.systemBalances['system:fraud_losses']).toBe(-19_300);
    const events = await h.get('/v1/events?type=compensation.paid', { token: k.sandbox.secretKey });
    expect(events.body.data[0].data).toMatchObject({ reimbursed: 19_300, reversed: 20_000 });
    expect(await eventsOf(k.sandbox, 'fraud.confirmed')).toEqual([
      expect.objectContaining({ holdId: hold.id, victimId: confirmed.body.victimId, walletId: k.victim.walletId, topupIds: [] }),
    ]);
    expect(await eventsOf(k.sandbox, 'hold.released')).toEqual([expect.objectContaining({ holdId: hold.id, resolution: 'compensated' })]);
    expect(await wallet(k, (await k.c.signIn(k.victim.who, '133.10.20.30')).accessToken)).toMatchObject({
      balance: 5_000,
      status: 'active',
    });
  });

  test('an unreviewed hold lifts itself after the policy window of sandbox time', async () => {
    const k = await setting();
    await h.post(
      '/v1/fraud/settings',
      { holdExpiryHours: 1, rules: { 'login.new_country': { enabled: false } } },
      { token: k.sandbox.secretKey },
    );
    const attacker = await takeOver(k, '185.220.101.9');
    await h.drain();
    const cardId = await addCard(k, attacker.accessToken);
    await topUp(k, attacker.accessToken, cardId);
    await h.drain();
    const [hold] = await openHolds(k);
    await h.post('/v1/sandbox/clock/advance', { seconds: 3_601 }, { token: k.sandbox.secretKey });
    await h.drain();
    expect((await h.get(`/v1/holds/${hold.id}`, { token: k.sandbox.secretKey })).body).toMatchObject({
      status: 'expired',
      resolvedBy: 'policy',
    });
    expect(await balance(k)).toBe(15_000);
  });
});

describe('a takeover the rules missed, reported by the customer', () => {
  test('the operator holds the wallet, confirms the fraud and the victim is made whole from where the case began', async () => {
    const k = await setting();
    // Spending in one store, well below the balance: nothing the rules hold.
    const now = async () => (await h.get('/v1/sandbox/clock', { token: k.sandbox.secretKey })).body.now as string;
    const beforeSignIn = await now();
    const attacker = await takeOver(k, '133.99.1.1');
    await h.drain();
    const afterSignIn = await now();
    await h.post('/v1/sandbox/clock/advance', { seconds: 600 }, { token: k.sandbox.secretKey });
    const { code } = (await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body;
    expect((await h.post('/v1/payments', { code, amount: 2_400, category: 'groceries' }, { token: k.stores[0].apiKey })).status).toBe(201);
    await h.drain();
    expect(await openHolds(k)).toEqual([]);

    const secret = { token: k.sandbox.secretKey };
    const placed = await h.post(
      '/v1/holds',
      { walletId: k.victim.walletId, reason: 'customer reports a purchase they did not make' },
      secret,
    );
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      status: 'open',
      walletId: k.victim.walletId,
      score: 0,
      rules: [],
      hits: [],
      audit: [{ action: 'placed', actor: expect.stringMatching(/^operator/), note: 'customer reports a purchase they did not make' }],
    });
    // The case reaches back to the attacker's sign-in, before the hold and the purchase.
    expect(placed.body.windowStart > beforeSignIn && placed.body.windowStart <= afterSignIn).toBe(true);
    await h.drain();
    expect((await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body.code).toBe('wallet_on_hold');
    const again = await h.post('/v1/holds', { walletId: k.victim.walletId, reason: 'a second report' }, secret);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'hold_exists', holdId: placed.body.id });

    expect((await h.post(`/v1/holds/${placed.body.id}/confirm-fraud`, {}, secret)).status).toBe(200);
    await h.drain();
    expect(await balance(k)).toBe(5_000);
    expect((await h.get('/v1/reports/damage', secret)).body).toMatchObject({
      victims: 1,
      amount: 2_400,
      compensated: { reimbursed: 2_400 },
    });
    expect((await h.get('/v1/reports/reconciliation', secret)).body.ok).toBe(true);
  });

  test("another sandbox's wallet, an unknown one, a time to come or a missing reason place no hold", async () => {
    const k = await setting();
    const other = await setting();
    const secret = { token: k.sandbox.secretKey };
    const tomorrow = new Date(Date.parse((await h.get('/v1/sandbox/clock', secret)).body.now) + 86_400_000).toISOString();
    const refused: Array<[unknown, number, string]> = [
      [{ walletId: other.victim.walletId, reason: 'r' }, 404, 'not_found'],
      [{ walletId: 'wal_nope', reason: 'r' }, 404, 'not_found'],
      [{ walletId: k.victim.walletId, reason: 'r', since: tomorrow }, 400, 'invalid_request'],
      [{ walletId: k.victim.walletId }, 400, 'invalid_request'],
      [{ walletId: k.victim.walletId, reason: 'r', score: 99 }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of refused) {
      const reply = await h.post('/v1/holds', body, secret);
      expect([reply.status, reply.body.code]).toEqual([status, code]);
    }
    expect(await openHolds(k)).toEqual([]);
    expect(await openHolds(other)).toEqual([]);
  });
});

describe('compensation', () => {
  test('an authorization the attacker left open is voided first; the victim is made whole exactly, once, however often the job runs', async () => {
    const k = await setting();
    const secret = { token: k.sandbox.secretKey };
    const attacker = await takeOver(k, '133.99.1.1');
    await h.drain();
    const cardId = await addCard(k, attacker.accessToken);
    await topUp(k, attacker.accessToken, cardId);
    await h.drain();
    // The attacker reserves nearly all of it at a register: reversing the top-up could not debit the wallet.
    const { code } = (await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body;
    const authorized = await h.post('/v1/payments', { code, amount: 14_000, capture: false }, { token: k.stores[0].apiKey });
    expect(authorized.status).toBe(201);
    const placed = await h.post('/v1/holds', { walletId: k.victim.walletId, reason: 'customer reports a takeover' }, secret);
    expect(placed.status).toBe(201);
    await h.drain();
    expect((await h.post(`/v1/holds/${placed.body.id}/confirm-fraud`, {}, secret)).status).toBe(200);
    await h.drain();

    expect((await h.get(`/v1/payments/${authorized.body.id}`, secret)).body.status).toBe('voided');
    const wallet = `/v1/sandbox/wallets/${k.victim.walletId}`;
    expect((await h.get(wallet, secret)).body).toMatchObject({ balance: 5_000, available: 5_000 });
    const paid = { compensated: { victims: 1, reimbursed: 0, reversed: 10_000 }, ledger: { reimbursed: 0, reversed: 10_000 } };
    expect((await h.get('/v1/reports/damage', secret)).body).toMatchObject(paid);

    // The compensation job delivered again, twice at once: nothing more moves.
    const [confirmed] = (await h.get('/v1/events?type=fraud.confirmed', secret)).body.data;
    const job: EventJob<'fraud.confirmed'> = {
      eventId: confirmed.id,
      sandboxId: k.sandbox.id,
      type: 'fraud.confirmed',
      data: confirmed.data,
      requestId: null,
      occurredAt: confirmed.createdAt,
    };
    const sandbox = await h.api.get(SandboxContexts).get(k.sandbox.id);
    const compensation = h.api.get(Compensation);
    await Promise.all([compensation.compensate(sandbox!, job), compensation.compensate(sandbox!, job)]);
    await h.drain();
    expect((await h.get(wallet, secret)).body).toMatchObject({ balance: 5_000, available: 5_000 });
    expect((await h.get('/v1/reports/damage', secret)).body).toMatchObject(paid);
    expect(await eventsOf(k.sandbox, 'compensation.paid')).toHaveLength(1);
    expect((await h.get('/v1/reports/reconciliation', secret)).body.ok).toBe(true);
  });
});

describe('alerts', () => {
  test('a wave of failed sign-ins from one IP raises one alert on the IP at once; set to hold, the next sign-in from it is held', async () => {
    const sandbox = await h.createSandbox('legacy-2019');
    const secret = { token: sandbox.secretKey };
    const c = new Customers(h, sandbox);
    const { who, walletId } = await c.onboard(newIdentity(), '133.10.20.30');
    await h.post('/v1/fraud/settings', { rules: { 'login.ip_failure_burst': { action: 'hold_for_review' } } }, secret);
    const ip = '133.200.1.1';
    for (let i = 0; i < 12; i++) {
      const stuffed = await c.login({ email: `stuffed${i}@example.test`, password: 'correct-horse-battery', deviceId: randomUUID() }, ip);
      expect(stuffed.status).toBe(401);
    }
    await h.drain();
    // Failures are screened concurrently and out of order; whichever is screened last sees the whole wave.
    const alert = {
      rule: 'login.ip_failure_burst',
      subjectType: 'ip',
      subjectId: ip,
      score: 30,
      inputs: { ip, failedAccounts: expect.any(Number) },
    };
    expect((await h.get('/v1/fraud/alerts?subjectType=ip', secret)).body).toEqual({
      data: [expect.objectContaining(alert)],
      has_more: false,
    });
    const raised = await eventsOf(sandbox, 'fraud.alert_raised');
    expect(raised).toEqual([alert]);
    expect(raised[0].inputs.failedAccounts).toBeGreaterThanOrEqual(10);
    expect(raised[0].inputs.failedAccounts).toBeLessThanOrEqual(12);
    expect((await h.get('/v1/holds', secret)).body.data).toEqual([]);

    // The owner's password, from the wave's address: the burst alone scores 30, and its action holds the wallet.
    expect((await c.login(who, ip)).status).toBe(200);
    await h.drain();
    const [hold] = (await h.get('/v1/holds?status=open', secret)).body.data;
    expect(hold).toMatchObject({ walletId, reason: 'risky sign-in', score: 30, rules: ['login.ip_failure_burst'] });
    expect(await eventsOf(sandbox, 'hold.placed')).toEqual([
      expect.objectContaining({ holdId: hold.id, walletId, rules: ['login.ip_failure_burst'] }),
    ]);
  });
});

describe('what the rules hear', () => {
  test('a top-up right after a completed password reset scores topup.after_password_reset: the reset reaches the rule', async () => {
    const k = await setting();
    const { who } = k.victim;
    expect((await k.c.requestReset({ email: who.email })).status).toBe(202);
    const password = 'amber-lighthouse-4411-quietly';
    expect((await k.c.confirmReset(await k.c.resetToken(who.email), password)).status).toBe(204);
    const tokens = await k.c.signIn({ ...who, password }, '133.10.20.30');
    await h.post(`/v1/sandbox/wallets/${k.victim.walletId}/points`, { points: 1_000 }, { token: k.sandbox.secretKey });
    expect((await h.post('/v1/topups', { amount: 1_000, channel: 'points' }, { token: tokens.accessToken })).status).toBe(202);
    await h.drain();
    const [screened] = await eventsOf(k.sandbox, 'fraud.topup_screened');
    expect(screened.reasons).toContain('topup.after_password_reset');
  });
});

describe('rules per sandbox', () => {
  test('a rule switched off no longer scores; bad settings are refused', async () => {
    const k = await setting();
    const settings = await h.post(
      '/v1/fraud/settings',
      { rules: { 'login.overseas_ip': { enabled: false }, 'topup.after_new_device': { enabled: false } } },
      { token: k.sandbox.secretKey },
    );
    expect(settings.body.rules['login.overseas_ip']).toMatchObject({ enabled: false, score: 30 });
    expect(settings.body.thresholds).toEqual({ stepUp: 30, review: 60, block: 90 });
    const attacker = await takeOver(k, '185.220.101.10');
    await h.drain();
    const cardId = await addCard(k, attacker.accessToken);
    await topUp(k, attacker.accessToken, cardId);
    await h.drain();
    expect(await openHolds(k)).toEqual([]);

    for (const bad of [
      { rules: { 'login.unknown': { enabled: false } } },
      { rules: { 'login.new_device': { score: 'high' } } },
      { thresholds: { review: -1 } },
    ]) {
      const reply = await h.post('/v1/fraud/settings', bad, { token: k.sandbox.secretKey });
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('invalid_request');
    }
  });

  test("a rule's action decides whatever the score: the second ¥30,000 card top-up within a minute is declined", async () => {
    const k = await setting();
    const secret = { token: k.sandbox.secretKey };
    const settings = await h.post('/v1/fraud/settings', { rules: { 'topup.amount_minute': { action: 'decline' } } }, secret);
    expect(settings.body.rules['topup.amount_minute']).toEqual({ enabled: true, score: 20, action: 'decline', threshold: 60_000 });
    expect(settings.body.rules['topup.amount_day'].action).toBe('score');
    const token = k.victim.tokens.accessToken;
    const cardId = await addCard(k, token);
    const first = await topUp(k, token, cardId, 30_000);
    await h.drain();
    expect((await h.get(`/v1/topups/${first.body.id}`, secret)).body.status).toBe('succeeded');
    const second = await topUp(k, token, cardId, 30_000);
    await h.drain();
    // Scored 50 (a new card's maximum and ¥60,000 within the minute), below review: declined by the rule's action alone.
    expect((await h.get(`/v1/topups/${second.body.id}`, secret)).body).toMatchObject({
      status: 'failed',
      failureCode: 'declined_by_screening',
    });
    const [screened] = await eventsOf(k.sandbox, 'fraud.topup_screened');
    expect(screened).toMatchObject({
      topupId: second.body.id,
      decision: 'decline',
      reasons: expect.arrayContaining(['topup.amount_minute', 'topup.new_card_max']),
    });
    expect((await eventsOf(k.sandbox, 'topup.failed'))[0]).toMatchObject({
      topupId: second.body.id,
      failureCode: 'declined_by_screening',
    });
    expect(await balance(k)).toBe(35_000);
    expect(await openHolds(k)).toEqual([]);
  });

  test('a domestic network that is not a CIDR, or thresholds out of order, are refused naming the field, and change nothing', async () => {
    const k = await setting();
    const secret = { token: k.sandbox.secretKey };
    const before = (await h.get('/v1/fraud/settings', secret)).body;
    for (const [bad, field] of [
      [{ domesticNetworks: ['133.0.0.0/8', '133.0.0.0/33'] }, 'domesticNetworks[1]'],
      [{ domesticNetworks: ['japan'] }, 'domesticNetworks[0]'],
      [{ thresholds: { stepUp: 70 } }, 'thresholds'],
      [{ thresholds: { review: 95 } }, 'thresholds'],
    ] as const) {
      const reply = await h.post('/v1/fraud/settings', bad, secret);
      expect([reply.status, reply.body.code, reply.body.errors]).toEqual([400, 'invalid_request', [expect.objectContaining({ field })]]);
    }
    expect((await h.get('/v1/fraud/settings', secret)).body).toEqual(before);
    // Tightened together, in order, they are taken.
    const tightened = await h.post('/v1/fraud/settings', { thresholds: { stepUp: 20, review: 40, block: 50 } }, secret);
    expect(tightened.body.thresholds).toEqual({ stepUp: 20, review: 40, block: 50 });
    const one = await h.post('/v1/fraud/settings', { thresholds: { block: 60 } }, secret);
    expect(one.body.thresholds).toEqual({ stepUp: 20, review: 40, block: 60 });
  });
});

describe('payment rules', () => {
  const payAt = async (k: Case, store: { apiKey: string }, amount: number) => {
    const { code } = (await h.post('/v1/payment-codes', undefined, { token: k.victim.tokens.accessToken })).body;
    const paid = await h.post('/v1/payments', { code, amount }, { token: store.apiKey });
    expect(paid.status).toBe(201);
    await h.drain();
  };

  test('more than three payments in ten minutes score; with the review threshold lowered the wallet is held, and the hold says why', async () => {
    const k = await setting();
    for (let i = 0; i < 4; i++) await payAt(k, k.stores[0], 100);
    // The fourth scored 30 for velocity: below the default review threshold of 60.
    expect(await openHolds(k)).toEqual([]);

    await h.post('/v1/fraud/settings', { thresholds: { review: 30 } }, { token: k.sandbox.secretKey });
    await payAt(k, k.stores[0], 100);
    const [hold] = await openHolds(k);
    expect(hold).toMatchObject({
      walletId: k.victim.walletId,
      reason: 'risky payments',
      score: 30,
      rules: ['payment.velocity'],
      hits: [{ rule: 'payment.velocity', score: 30, inputs: { payments: 5 } }],
      sessionRisk: 0,
    });
    const refused = await h.post('/v1/payment-codes', undefined, { token: k.victim.tokens.accessToken });
    expect(refused.body.code).toBe('wallet_on_hold');
  });

  test('spending nearly the whole balance right after a top-up scores, a smaller share does not', async () => {
    const k = await setting();
    await h.post('/v1/fraud/settings', { thresholds: { review: 30 } }, { token: k.sandbox.secretKey });
    await h.post(`/v1/sandbox/wallets/${k.victim.walletId}/points`, { points: 5_000 }, { token: k.sandbox.secretKey });
    const topup = await h.post('/v1/topups', { amount: 5_000, channel: 'points' }, { token: k.victim.tokens.accessToken });
    expect(topup.status).toBe(202);
    await h.drain();
    expect(await balance(k)).toBe(10_000);

    await payAt(k, k.stores[0], 8_000); // 80 % of the balance
    expect(await openHolds(k)).toEqual([]);
    await payAt(k, k.stores[0], 1_900); // 95 % of what was left
    const [hold] = await openHolds(k);
    expect(hold).toMatchObject({
      rules: ['payment.drain_after_topup'],
      hits: [{ rule: 'payment.drain_after_topup', score: 30, inputs: { share: 95, balanceBefore: 2_000 } }],
    });
  });
});
