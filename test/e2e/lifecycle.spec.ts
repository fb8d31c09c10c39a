import { describe, expect, jest, test } from '@jest/globals';
import { Environment } from '#core';
import { LedgerService } from '#ledger';
import { PayoutRuns } from '../../libs/lifecycle/src/usecases/run-payouts.js';
import { Customers, type Tokens, newIdentity } from '../support/customers.js';
import { type Reply, type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

const DAY_MS = 86_400_000;
const BANK = { bankCode: '0005', branchCode: '251', accountNumber: '1234567', holder: 'ヤマダ ハナコ' };

interface Member {
  who: ReturnType<typeof newIdentity>;
  walletId: string;
  tokens: Tokens;
}

interface World {
  sandbox: SandboxKeys;
  c: Customers;
  alice: Member;
  bob: Member;
  store: { id: string; apiKey: string };
}

/** Two customers with balances of their own (¥12,000 and ¥3,000) and a store. */
async function world(): Promise<World> {
  const sandbox = await h.createSandbox();
  const c = new Customers(h, sandbox);
  const [alice, bob] = [await c.onboard(), await c.onboard()];
  await h.post(`/v1/sandbox/wallets/${alice.walletId}/fund`, { amount: 12_000 }, { token: sandbox.secretKey });
  await h.post(`/v1/sandbox/wallets/${bob.walletId}/fund`, { amount: 3_000 }, { token: sandbox.secretKey });
  const store = (await h.post('/v1/stores', { name: 'Seven Ginza' }, { token: sandbox.secretKey })).body;
  return { sandbox, c, alice, bob, store };
}

const secret = (w: World) => ({ token: w.sandbox.secretKey });
const service = async (w: World) => (await h.get('/v1/service', secret(w))).body;
const transition = (w: World, body: Record<string, unknown>) => h.post('/v1/service/transitions', body, secret(w));
const clock = async (w: World) => new Date((await h.get('/v1/sandbox/clock', secret(w))).body.now);
const balance = async (w: World, walletId: string) => (await h.get(`/v1/sandbox/wallets/${walletId}`, secret(w))).body.balance;

/** Moves the sandbox clock just past a time; customers sign in again (their 15-minute access tokens ran out meanwhile). */
async function advanceTo(w: World, at: Date, signIn = true): Promise<void> {
  const seconds = Math.ceil((at.getTime() - (await clock(w)).getTime()) / 1000) + 1;
  expect((await h.post('/v1/sandbox/clock/advance', { seconds }, secret(w))).status).toBe(200);
  await h.drain();
  if (signIn) for (const m of [w.alice, w.bob]) m.tokens = await w.c.signIn(m.who);
}

async function pay(w: World, m: Member, amount: number): Promise<Reply> {
  const code = await h.post('/v1/payment-codes', undefined, { token: m.tokens.accessToken });
  if (code.status !== 201) return code;
  return h.post('/v1/payments', { code: code.body.code, amount }, { token: w.store.apiKey });
}

/** Announces abolition: the service ends in 10 days; claims open a day later and run 90 days. */
async function announce(w: World): Promise<{ terminationAt: Date; refundClaimsFrom: Date; refundClaimsUntil: Date }> {
  const now = await clock(w);
  const dates = {
    terminationAt: new Date(now.getTime() + 10 * DAY_MS),
    refundClaimsFrom: new Date(now.getTime() + 11 * DAY_MS),
    refundClaimsUntil: new Date(now.getTime() + 101 * DAY_MS),
  };
  const reply = await transition(w, {
    to: 'abolition_announced',
    reason: 'the service cannot be made safe in time',
    terminationAt: dates.terminationAt.toISOString(),
    refundClaimsFrom: dates.refundClaimsFrom.toISOString(),
    refundClaimsUntil: dates.refundClaimsUntil.toISOString(),
  });
  expect(reply.status).toBe(201);
  await h.drain();
  return dates;
}

function claim(w: World, m: Member, body: Record<string, unknown>): Promise<Reply> {
  return w.c.stepUp(m.who, m.tokens.accessToken, () =>
    h.post('/v1/refund-claims', { email: m.who.email, phone: m.who.phone, ...body }, { token: m.tokens.accessToken }),
  );
}

const getClaim = async (w: World, id: string) => (await h.get(`/v1/refund-claims/${id}`, secret(w))).body;

describe('service phases', () => {
  test('the service only moves on, each phase closing what 7pay closed, scheduled steps firing with the sandbox clock', async () => {
    const w = await world();
    expect(await service(w)).toMatchObject({
      phase: 'operating',
      capabilities: { registration: true, login: true, payment: true, refundClaims: false, topup: { card: true, points: true } },
      schedule: [],
      notice: null,
    });
    for (const [body, status, code] of [
      [{ to: 'operating' }, 409, 'invalid_transition'],
      [{ to: 'terminated' }, 409, 'invalid_transition'],
      [{ to: 'closing_down' }, 400, 'invalid_request'],
      [{ to: 'card_topup_suspended', terminationAt: new Date().toISOString() }, 400, 'invalid_request'],
      [{ to: 'card_topup_suspended', effectiveAt: new Date(Date.now() - 60_000).toISOString() }, 400, 'invalid_request'],
    ] as const) {
      const reply = await transition(w, body);
      expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
    }
    expect((await service(w)).phase).toBe('operating');

    expect((await transition(w, { to: 'card_topup_suspended', reason: 'accounts taken over' })).body.phase).toBe('card_topup_suspended');
    const card = await h.post(
      '/v1/topups',
      { amount: 1_000, channel: 'card', cardId: 'crd_00000000000000000000000000' },
      { token: w.alice.tokens.accessToken },
    );
    expect(card.status).toBe(403);
    expect(card.body).toMatchObject({ code: 'service_suspended', capability: 'topup.card', phase: 'card_topup_suspended' });
    await h.post(`/v1/sandbox/wallets/${w.alice.walletId}/points`, { points: 2_000 }, secret(w));
    expect((await h.post('/v1/topups', { amount: 1_000, channel: 'points' }, { token: w.alice.tokens.accessToken })).status).toBe(202);
    expect((await transition(w, { to: 'card_topup_suspended' })).body.code).toBe('invalid_transition');

    const inAnHour = new Date((await clock(w)).getTime() + 3_600_000);
    const scheduled = await transition(w, { to: 'topup_suspended', effectiveAt: inAnHour.toISOString() });
    expect(scheduled.body.phase).toBe('card_topup_suspended');
    expect(scheduled.body.schedule.map((t: any) => [t.to, t.status])).toEqual([
      ['card_topup_suspended', 'effective'],
      ['topup_suspended', 'scheduled'],
    ]);
    expect((await w.c.register(newIdentity())).status).toBe(201);

    await advanceTo(w, inAnHour);
    expect(await service(w)).toMatchObject({
      phase: 'topup_suspended',
      capabilities: { registration: false, payment: true, topup: { card: false, points: false, atm: false, register_cash: false } },
    });
    const registration = await w.c.register(newIdentity());
    expect(registration.body).toMatchObject({ code: 'service_suspended', capability: 'registration' });
    expect((await h.post('/v1/topups', { amount: 1_000, channel: 'points' }, { token: w.alice.tokens.accessToken })).status).toBe(403);
    expect((await pay(w, w.alice, 500)).status).toBe(201);
    const changes = (await h.get('/v1/events?type=service.phase_changed', secret(w))).body.data.map((e: any) => [e.data.from, e.data.to]);
    expect(changes).toEqual([
      ['card_topup_suspended', 'topup_suspended'],
      ['operating', 'card_topup_suspended'],
    ]);

    // A reset puts the sandbox back in business.
    await h.post('/v1/sandbox/reset', undefined, secret(w));
    expect((await h.get('/v1/service', { headers: { 'x-publishable-key': w.sandbox.publishableKey } })).body.phase).toBe('operating');
  });

  test('abolition: a notice with at least 60 days to claim reaches every customer; from termination nobody can pay', async () => {
    const w = await world();
    const now = await clock(w);
    const short = await transition(w, {
      to: 'abolition_announced',
      terminationAt: new Date(now.getTime() + 10 * DAY_MS).toISOString(),
      refundClaimsUntil: new Date(now.getTime() + 69 * DAY_MS).toISOString(),
    });
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({ code: 'notice_period_too_short', minimumDays: 60, days: 59 });
    const missing = await transition(w, {
      to: 'abolition_announced',
      refundClaimsUntil: new Date(now.getTime() + 99 * DAY_MS).toISOString(),
    });
    expect(missing.body).toMatchObject({ code: 'invalid_request', errors: [{ field: 'terminationAt' }] });
    expect((await service(w)).schedule).toEqual([]);

    const earlier = (await pay(w, w.alice, 2_000)).body;
    const dates = await announce(w);
    const view = await service(w);
    expect(view.phase).toBe('abolition_announced');
    expect(view.schedule.map((t: any) => [t.to, t.effectiveAt, t.requestedBy])).toEqual([
      ['abolition_announced', expect.any(String), expect.stringMatching(/^operator:/)],
      ['terminated', dates.terminationAt.toISOString(), 'notice'],
      ['refund_window', dates.refundClaimsFrom.toISOString(), 'notice'],
      ['closed', dates.refundClaimsUntil.toISOString(), 'notice'],
    ]);
    expect(view.notice).toMatchObject({ delivered: 2, deliveredToAll: true, terminationAt: dates.terminationAt.toISOString() });
    for (const m of [w.alice, w.bob]) {
      const notices = (await w.c.messages(m.who.email)).filter((msg) => msg.subject === view.notice.title);
      expect(notices).toHaveLength(1);
      expect(notices[0].body).toContain('free of charge');
    }
    expect((await pay(w, w.bob, 1_000)).status).toBe(201);
    const shownBefore = (await h.post('/v1/payment-codes', undefined, { token: w.bob.tokens.accessToken })).body.code;

    await advanceTo(w, dates.terminationAt);
    expect((await service(w)).phase).toBe('terminated');
    const refused = await h.post('/v1/payment-codes', undefined, { token: w.alice.tokens.accessToken });
    expect(refused.body).toMatchObject({ code: 'service_suspended', capability: 'payment', phase: 'terminated' });
    // A code shown before the end does not pay after it: the register's one statement checks the phase first.
    const late = await h.post('/v1/payments', { code: shownBefore, amount: 100 }, { token: w.store.apiKey });
    expect(late.body).toMatchObject({ code: 'service_suspended', phase: 'terminated' });
    // A store may still refund: the money goes back to the wallet, to be refunded with the rest.
    const refund = await h.post(`/v1/payments/${earlier.id}/refunds`, { amount: 2_000 }, { token: w.store.apiKey });
    expect(refund.status).toBe(201);
    expect(await balance(w, w.alice.walletId)).toBe(12_000);
    expect((await claim(w, w.alice, { method: 'postal_payout' })).body).toMatchObject({ code: 'service_suspended', phase: 'terminated' });
  });
});

describe('refund claims and payouts', () => {
  test('claims are checked against the registered e-mail and phone, one per wallet, and paid once by the worker; the report reconciles', async () => {
    const w = await world();
    const dates = await announce(w);
    await advanceTo(w, dates.refundClaimsFrom);

    expect((await claim(w, w.alice, { method: 'bank_transfer', phone: '+819099999999', bankAccount: BANK })).body.code).toBe(
      'identity_mismatch',
    );
    expect((await claim(w, w.alice, { method: 'bank_transfer' })).body).toMatchObject({
      code: 'invalid_request',
      errors: [{ field: 'bankAccount' }],
    });
    const filed = await claim(w, w.alice, { method: 'bank_transfer', bankAccount: BANK });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      status: 'submitted',
      amount: 12_000,
      method: 'bank_transfer',
      bankAccount: { bankCode: '0005', branchCode: '251', accountNumberLast4: '4567' },
    });
    expect(JSON.stringify(filed.body)).not.toContain('1234567');
    expect((await claim(w, w.alice, { method: 'postal_payout' })).body).toMatchObject({ code: 'claim_exists', claimId: filed.body.id });
    const bobs = await claim(w, w.bob, { method: 'postal_payout' });
    expect(bobs.status).toBe(201);
    await h.drain();

    expect(await getClaim(w, filed.body.id)).toMatchObject({ status: 'paid', paidAmount: 12_000 });
    expect(await getClaim(w, bobs.body.id)).toMatchObject({
      status: 'paid',
      paidAmount: 3_000,
      slipNumber: expect.stringMatching(/^\d{12}$/),
    });
    expect(await balance(w, w.alice.walletId)).toBe(0);
    const mails = (await w.c.messages(w.alice.who.email)).map((m) => m.subject);
    expect(mails).toEqual(expect.arrayContaining(['We received your refund claim', 'Your refund was paid']));
    // The customer sees their own claim, not another's.
    expect((await h.get(`/v1/refund-claims/${filed.body.id}`, { token: w.alice.tokens.accessToken })).status).toBe(200);
    expect((await h.get(`/v1/refund-claims/${filed.body.id}`, { token: w.bob.tokens.accessToken })).status).toBe(404);

    const report = (await h.get('/v1/reports/refunds', secret(w))).body;
    expect(report).toMatchObject({
      phase: 'refund_window',
      walletsWithBalance: 0,
      outstanding: 0,
      refundedCount: 2,
      refunded: 15_000,
      unclaimedCount: 0,
      unclaimed: 0,
      claims: { submitted: 0, on_hold: 0, bounced: 0, paid: 2 },
      reconciles: { balances: true, payouts: true },
    });
    const reconciliation = (await h.get('/v1/reports/reconciliation', secret(w))).body;
    expect(reconciliation.ok).toBe(true);
    expect(reconciliation.totals.systemBalances['system:refund_payouts']).toBe(15_000);
    const runs = (await h.get('/v1/payout-runs', secret(w))).body.data;
    expect(runs.every((r: any) => r.status === 'completed')).toBe(true);
    expect(runs.reduce((sum: number, r: any) => sum + r.amount, 0)).toBe(15_000);
  });

  test('a bounced transfer waits for the customer to correct it; a held claim waits for its release; a later store refund is paid too', async () => {
    const w = await world();
    const bought = (await pay(w, w.alice, 1_500)).body;
    const dates = await announce(w);
    await advanceTo(w, dates.refundClaimsFrom);

    const filed = await claim(w, w.alice, { method: 'bank_transfer', bankAccount: { ...BANK, accountNumber: '0000404' } });
    await h.drain();
    expect(await getClaim(w, filed.body.id)).toMatchObject({ status: 'bounced', failureCode: 'account_not_found', paidAmount: 0 });
    expect(await balance(w, w.alice.walletId)).toBe(10_500);
    expect((await w.c.messages(w.alice.who.email))[0].subject).toBe('We could not transfer your refund');

    expect((await h.post(`/v1/refund-claims/${filed.body.id}/hold`, { reason: 'checking the claimant' }, secret(w))).body.status).toBe(
      'on_hold',
    );
    const corrected = await w.c.stepUp(w.alice.who, w.alice.tokens.accessToken, () =>
      h.post(`/v1/refund-claims/${filed.body.id}/bank-account`, { bankAccount: BANK }, { token: w.alice.tokens.accessToken }),
    );
    expect(corrected.body).toMatchObject({ status: 'on_hold', bankAccount: { accountNumberLast4: '4567' } });
    await h.post('/v1/payout-runs', undefined, secret(w));
    await h.drain();
    expect((await getClaim(w, filed.body.id)).status).toBe('on_hold');
    expect((await h.post(`/v1/refund-claims/${filed.body.id}/hold`, {}, secret(w))).body.code).toBe('invalid_transition');

    expect((await h.post(`/v1/refund-claims/${filed.body.id}/release`, {}, secret(w))).body.status).toBe('submitted');
    await h.drain();
    expect(await getClaim(w, filed.body.id)).toMatchObject({ status: 'paid', paidAmount: 10_500 });

    // The store refunds a purchase from before the end: the money is claimable and paid out too.
    expect((await h.post(`/v1/payments/${bought.id}/refunds`, { amount: 1_500 }, { token: w.store.apiKey })).status).toBe(201);
    await h.drain();
    expect(await getClaim(w, filed.body.id)).toMatchObject({ status: 'paid', paidAmount: 12_000 });
    expect(await balance(w, w.alice.walletId)).toBe(0);
    const paid = (await h.get('/v1/events?type=refund_claim.paid', secret(w))).body.data.map((e: any) => e.data.paidAmount);
    expect(paid.sort()).toEqual([10_500, 1_500].sort());
  });

  test('after the deadline only the operator refunds, case by case; a membership closed before the end has no right', async () => {
    const w = await world();
    const carol = await w.c.onboard();
    await h.post(`/v1/sandbox/wallets/${carol.walletId}/fund`, { amount: 4_000 }, secret(w));
    const closed = await w.c.stepUp(carol.who, carol.tokens.accessToken, () =>
      h.request('DELETE', '/v1/account', undefined, { token: carol.tokens.accessToken }),
    );
    expect(closed.status).toBe(204);
    expect((await w.c.login(carol.who)).status).toBe(401);

    const dates = await announce(w);
    const early = await h.post('/v1/refund-claims', { walletId: w.bob.walletId, method: 'postal_payout' }, secret(w));
    expect(early.body).toMatchObject({ code: 'service_suspended', phase: 'abolition_announced' });
    await advanceTo(w, dates.refundClaimsUntil, false);
    expect(await service(w)).toMatchObject({ phase: 'closed', capabilities: { refundClaims: false, login: false } });
    // The service is gone: customers cannot sign in, let alone claim.
    expect((await w.c.login(w.bob.who)).body.code).toBe('service_suspended');

    const report = (await h.get('/v1/reports/refunds', secret(w))).body;
    expect(report).toMatchObject({ walletsWithBalance: 3, outstanding: 19_000, unclaimedCount: 3, unclaimed: 19_000, refunded: 0 });
    const unclaimed = (await h.get('/v1/reports/refunds/unclaimed?limit=10', secret(w))).body.data;
    expect(unclaimed.map((u: any) => u.walletId).sort()).toEqual([w.alice.walletId, w.bob.walletId, carol.walletId].sort());

    const lost = await h.post('/v1/refund-claims', { walletId: carol.walletId, method: 'postal_payout' }, secret(w));
    expect(lost.body).toMatchObject({ code: 'claim_right_lost' });
    const byOperator = await h.post(
      '/v1/refund-claims',
      { walletId: w.bob.walletId, method: 'bank_transfer', bankAccount: BANK },
      secret(w),
    );
    expect(byOperator.status).toBe(201);
    expect(byOperator.body.filedBy).toMatch(/^operator:/);
    await h.drain();
    expect(await getClaim(w, byOperator.body.id)).toMatchObject({ status: 'paid', paidAmount: 3_000 });
    expect((await h.get('/v1/reports/refunds', secret(w))).body).toMatchObject({
      outstanding: 16_000,
      unclaimedCount: 2,
      refunded: 3_000,
      reconciles: { balances: true, payouts: true },
    });
  });

  test('a payout run over several batches, whose batches die after the ledger posted or after they committed, pays every wallet exactly once', async () => {
    // Batches of 10, so the 25 claims take three and the run must hand each batch on to the next.
    const batchSize = jest.replaceProperty(h.worker!.get(Environment), 'PAYOUT_BATCH_SIZE', 10);
    const w = await world();
    const wallets: string[] = [];
    for (let i = 0; i < 25; i++) wallets.push(await h.createWallet(w.sandbox, 1_000 + i));
    const dates = await announce(w);
    await advanceTo(w, dates.terminationAt);

    const ledger = h.worker!.get(LedgerService);
    const realPayout = ledger.payoutBatch.bind(ledger);
    let ledgerCrashes = 0;
    const ledgerSpy = jest.spyOn(ledger, 'payoutBatch').mockImplementation(async (...args) => {
      const results = await realPayout(...args);
      if (ledgerCrashes++ === 0) throw new Error('worker died mid-batch');
      return results;
    });
    const runs = h.worker!.get(PayoutRuns);
    const realBatch = runs.batch.bind(runs);
    let committedCrashes = 0;
    // Failures other than the two crashes: a batch that cannot hand on to the next would only get there by retries.
    const otherFailures: unknown[] = [];
    const batchSpy = jest.spyOn(runs, 'batch').mockImplementation(async (...args) => {
      await realBatch(...args).catch((error: unknown) => {
        if (!(error instanceof Error && error.message === 'worker died mid-batch')) otherFailures.push(error);
        throw error;
      });
      if (committedCrashes++ === 0) throw new Error('worker died after the batch committed');
    });
    // The runs' own lock, held while the claims are filed: one run then finds all 25 waiting.
    await h.db.transaction(async (tx) => {
      await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`payout-runs/${w.sandbox.id}`]);
      for (const walletId of wallets) {
        expect((await h.post('/v1/refund-claims', { walletId, method: 'postal_payout' }, secret(w))).status).toBe(201);
      }
    });
    await h.drain();
    ledgerSpy.mockRestore();
    batchSpy.mockRestore();
    batchSize.restore();
    expect(ledgerCrashes).toBeGreaterThanOrEqual(2);
    expect(committedCrashes).toBeGreaterThanOrEqual(2);
    expect(otherFailures).toEqual([]);
    const runList = (await h.get('/v1/payout-runs', secret(w))).body.data;
    expect(runList.every((r: any) => r.status === 'completed')).toBe(true);
    expect(runList.reduce((sum: number, r: any) => sum + r.paid, 0)).toBe(25);
    expect(Math.max(...runList.map((r: any) => r.batches))).toBeGreaterThanOrEqual(3);

    const expected = wallets.reduce((sum, _, i) => sum + 1_000 + i, 0);
    for (const walletId of wallets) expect(await balance(w, walletId)).toBe(0);
    const claims = (await h.get('/v1/refund-claims?status=paid&limit=100', secret(w))).body.data;
    expect(claims).toHaveLength(25);
    expect(claims.reduce((sum: number, c: any) => sum + c.paidAmount, 0)).toBe(expected);
    const paidEvents = (await h.get('/v1/events?type=refund_claim.paid&limit=100', secret(w))).body.data;
    expect(paidEvents).toHaveLength(25);
    const report = (await h.get('/v1/reports/refunds', secret(w))).body;
    expect(report).toMatchObject({ refunded: expected, refundedCount: 25, reconciles: { balances: true, payouts: true } });
  });
});

describe("the operator's forced password reset", () => {
  test('every customer must set a new password: sessions end, the old password stops signing in, the reset flow still works', async () => {
    const w = await world();
    const forced = await h.post('/v1/service/password-reset', { reason: 'passwords leaked elsewhere' }, secret(w));
    expect(forced.status).toBe(202);
    await h.drain();

    expect((await h.get('/v1/account', { token: w.alice.tokens.accessToken })).status).toBe(401);
    expect((await w.c.login(w.alice.who)).body.code).toBe('password_reset_required');
    expect((await w.c.login({ ...w.alice.who, password: 'not-her-password-at-all' })).body.code).toBe('unauthenticated');
    expect((await w.c.messages(w.bob.who.email))[0].subject).toBe('Please set a new password');

    await w.c.requestReset({ email: w.alice.who.email });
    const fresh = 'copper-meadow-lantern-9021';
    expect((await w.c.confirmReset(await w.c.resetToken(w.alice.who.email), fresh)).status).toBe(204);
    const tokens = await w.c.signIn({ ...w.alice.who, password: fresh });
    expect((await h.get('/v1/account', { token: tokens.accessToken })).status).toBe(200);
    expect((await w.c.login(w.bob.who)).body.code).toBe('password_reset_required');
  });
});
