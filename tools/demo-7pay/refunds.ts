import type { Schemas } from '@wallet-sandbox/client';
import { must } from './api.js';
import type { Member } from './app.js';
import { jst } from './clock.js';
import type { RefundClaim } from './operator.js';
import { type Chapter, chapter } from './progress.js';
import type { Random } from './random.js';
import { type Purchase, shoppingRound } from './shopping.js';
import { TERMINATION_AT } from './suspension.js';
import type { World } from './world.js';

/** August and September: payment only, and customers spend their balances down (the rest in cash). */
const LAST_ROUNDS = ['2019-08-10 19:00', '2019-08-25 12:30', '2019-09-10 19:00', '2019-09-25 12:30'] as const;
/** Customers with a small balance left who close their membership in September, giving up the refund. */
const CLOSING_SHARE = 0.01;
const SMALL_BALANCE = 500;
/** Share of the last round's purchases a store refunds after the end (a return, a mistake at the register). */
const LATE_REFUND_SHARE = 0.03;

/**
 * The claim rounds of the refund window. 7pay: about 370,000 users held
 * ¥190M at the end of September and 250,000 held ¥70M at the deadline —
 * a third of the holders claimed, holding two thirds of the yen.
 */
const CLAIM_ROUNDS: ReadonlyArray<readonly [string, number]> = [
  ['2019-10-07 10:00', 0.5],
  ['2019-11-11 10:00', 0.3],
  ['2019-12-16 10:00', 0.2],
];
/** Claiming grows with the balance: the few yen of a campaign bonus are rarely claimed, a top-up's worth usually is. */
const claimChance = (balance: number): number => Math.min(0.95, 0.08 + balance / 12_000);
const POSTAL_SHARE = 0.15;
/** Bank claims whose account number is mistyped as the one the sandbox's bank refuses (docs/lifecycle-and-refunds.md: 0000404). */
const MISTYPED_SHARE = 0.03;
const BOUNCING_ACCOUNT = '0000404';
/** Balances the operator still refunds, case by case, after the deadline. */
const CASE_BY_CASE = 2;

/** 08–09: the last weeks of the service; a few close their membership before the end. */
export async function lastWeeks(w: World): Promise<Purchase[]> {
  return chapter('08-10 Last weeks', LAST_ROUNDS.length + 1, w.clock, async (c) => {
    let last: Purchase[] = [];
    for (const [i, at] of LAST_ROUNDS.entries()) {
      if (i === LAST_ROUNDS.length - 1) await closeMemberships(w, c);
      last = await shoppingRound(w, c, jst(at), 0.45, false, true);
      c.tell(`¥${w.book.total().toLocaleString('en-US')} left in wallets`);
    }
    return last;
  });
}

async function closeMemberships(w: World, c: Chapter): Promise<void> {
  const small = w.members.filter((m) => !m.closed && w.book.balance(m.walletId) > 0 && w.book.balance(m.walletId) < SMALL_BALANCE);
  const closing = w.random.stream('closures').exactly(small, Math.max(1, Math.round(w.members.length * CLOSING_SHARE)));
  await w.each(closing, c, async (m) => {
    const closed = await w.app.call(m, (app) => app.DELETE('/v1/account'));
    if (!closed.ok) throw new Error(`customer ${m.plan.n} could not close their membership: ${closed.code}`);
    w.book.closure(m.walletId);
    m.closed = true;
  });
}

/**
 * 09-30 24:00: the service ends on the sandbox clock. Nobody can pay any
 * more; a store can still refund a purchase, into the wallet, to be
 * refunded with the rest.
 */
export async function termination(w: World, lastPurchases: Purchase[]): Promise<Purchase[]> {
  return chapter('09-30 24:00 Service ends', 2, w.clock, async (c) => {
    await w.advanceTo(new Date(TERMINATION_AT.getTime() + 1_000));
    w.book.atTermination = w.book.total();
    const phase = (await w.operator.service()).phase;
    if (phase !== 'refund_window') throw new Error(`the service is in ${phase} after its end, not refund_window`);
    const someone = w.members.find((m) => !m.closed && w.book.balance(m.walletId) > 0);
    if (someone) {
      const code = await w.app.call(someone, (app) => app.POST('/v1/payment-codes'));
      if (code.ok) throw new Error('a payment code was issued after the service ended');
      w.book.refused('payment code', code.code);
    }
    const r = w.random.stream('late refunds');
    const refunded = r.some(lastPurchases, LATE_REFUND_SHARE);
    await lateStoreRefunds(w, c, refunded, r);
    c.tell(`phase ${phase}; ¥${w.book.atTermination.toLocaleString('en-US')} unused at the end of the service`);
    return lastPurchases.filter((p) => !refunded.includes(p));
  });
}

/** Stores refund purchases after the end: the yen go back into the wallets, claimable like the rest. */
async function lateStoreRefunds(w: World, c: Chapter, purchases: Purchase[], r: Random): Promise<void> {
  const amounts = purchases.map((p) => (r.chance(0.5) ? p.payment.amount : r.int(1, p.payment.amount)));
  await w.each(
    purchases.map((p, i) => ({ p, amount: amounts[i] })),
    c,
    async ({ p, amount }) => {
      const refunded = await w.registers.refund(p.store, p.payment.id, amount);
      if (!refunded.ok) throw new Error(`store ${p.store.plan.name} could not refund ${p.payment.id}: ${refunded.code}`);
      w.book.storeRefund(p.m.walletId, amount);
    },
  );
  await w.settle();
}

/** A customer's decision about their balance, drawn before the window opens. */
interface Claimant {
  m: Member;
  round: number;
  postal: boolean;
  mistyped: boolean;
  claim?: RefundClaim;
}

/**
 * 10-01 to 01-10: customers claim their balance from the app (e-mail and
 * phone checked against the registered ones), by bank transfer or postal
 * payout slip; the worker pays verified claims in batches. A mistyped
 * account bounces and the customer corrects it.
 */
export async function refundWindow(w: World, refundable: Purchase[]): Promise<void> {
  const r = w.random.stream('claims');
  const claimants: Claimant[] = w.members
    .filter((m) => !m.closed && w.book.balance(m.walletId) > 0 && r.chance(claimChance(w.book.balance(m.walletId))))
    .map((m) => ({ m, round: roundOf(r), postal: r.chance(POSTAL_SHARE), mistyped: r.chance(MISTYPED_SHARE) }));
  await chapter('10-01 Refund claims', CLAIM_ROUNDS.length * 2, w.clock, async (c) => {
    for (const [round, [at]] of CLAIM_ROUNDS.entries()) {
      await w.advanceTo(jst(at));
      const now = claimants.filter((k) => k.round === round);
      await w.each(now, c, (k) => fileClaim(w, k, round === 0 && k === now[0]));
      await w.settle();
      await w.each(now, c, (k) => followClaim(w, k));
      await w.settle();
      await w.each(
        now.filter((k) => k.claim?.status === 'bounced'),
        c,
        (k) => followClaim(w, k),
      );
      c.tell(`${w.book.claims.filed.toLocaleString('en-US')} claims, ¥${w.book.claims.paid.yen.toLocaleString('en-US')} paid`);
    }
    await lateRefundAfterPayout(w, claimants, refundable);
  });
}

function roundOf(r: Random): number {
  return CLAIM_ROUNDS.findIndex((_, i) => r.chance(CLAIM_ROUNDS[i][1] / CLAIM_ROUNDS.slice(i).reduce((sum, [, s]) => sum + s, 0)));
}

/** One claim from the app; the first claimant of the window first types a phone number that is not the registered one. */
async function fileClaim(w: World, k: Claimant, typesWrongPhone: boolean): Promise<void> {
  const { email, phone, holder } = k.m.plan;
  const payout: Pick<Schemas['ClaimBody'], 'method' | 'bankAccount'> = k.postal
    ? { method: 'postal_payout' }
    : {
        method: 'bank_transfer',
        bankAccount: { bankCode: '0009', branchCode: '125', accountNumber: k.mistyped ? BOUNCING_ACCOUNT : accountNumber(k.m), holder },
      };
  if (typesWrongPhone) {
    const wrongPhone = `${phone.slice(0, -1)}9`;
    const wrong = await w.app.call(k.m, (app) => app.POST('/v1/refund-claims', { body: { ...payout, email, phone: wrongPhone } }));
    if (wrong.ok) throw new Error('a claim with a phone number other than the registered one was accepted');
    w.book.refused('refund claim', wrong.code);
  }
  const filed = await w.app.call(k.m, (app) => app.POST('/v1/refund-claims', { body: { ...payout, email, phone } }));
  if (!filed.ok) throw new Error(`customer ${k.m.plan.n} could not claim: ${filed.code}`);
  k.claim = filed.value;
  w.book.claims.filed += 1;
  if (k.postal) w.book.claims.postal += 1;
  else w.book.claims.bankTransfer += 1;
}

/** Reads the claim after the payout run: books a payout, or corrects the account of a bounced transfer. */
async function followClaim(w: World, k: Claimant): Promise<void> {
  if (!k.claim) return;
  const before = k.claim;
  k.claim = await w.operator.claim(before.id);
  if (k.claim.paidAmount > before.paidAmount) {
    w.book.payout(k.m.walletId, k.claim.paidAmount - before.paidAmount, false, before.paidAmount === 0);
  }
  if (k.claim.status === 'bounced') {
    w.book.claims.bounced += 1;
    const account = { bankCode: '0009', branchCode: '125', accountNumber: accountNumber(k.m), holder: k.m.plan.holder };
    const { id } = k.claim;
    const corrected = await w.app.call(k.m, (app) =>
      app.POST('/v1/refund-claims/{id}/bank-account', { params: { path: { id } }, body: { bankAccount: account } }),
    );
    if (!corrected.ok) throw new Error(`customer ${k.m.plan.n} could not correct a bounced claim: ${corrected.code}`);
    w.book.claims.corrected += 1;
  }
}

/** A store refunds a purchase of a customer whose claim was already paid: the worker pays that out too. */
async function lateRefundAfterPayout(w: World, claimants: Claimant[], refundable: Purchase[]): Promise<void> {
  const paid = new Map(claimants.filter((k) => k.claim?.status === 'paid').map((k) => [k.m.walletId, k]));
  const purchase = refundable.find((p) => paid.has(p.m.walletId));
  if (!purchase) return;
  const refunded = await w.registers.refund(purchase.store, purchase.payment.id, purchase.payment.amount);
  if (!refunded.ok) throw new Error(`a store could not refund after the payout: ${refunded.code}`);
  w.book.storeRefund(purchase.m.walletId, purchase.payment.amount);
  await w.settle();
  await followClaim(w, paid.get(purchase.m.walletId) as Claimant);
}

/** A seven-digit account number of the customer's own, never the one the bank refuses. */
function accountNumber(m: Member): string {
  const n = String(1_000_000 + ((m.plan.n * 7_919) % 8_999_999)).padStart(7, '0');
  return n === BOUNCING_ACCOUNT ? '1000001' : n;
}

/**
 * 2020-01-11: the claim period is over. What nobody claimed stays listed;
 * the operator still refunds a few, case by case.
 */
export async function deadline(w: World): Promise<void> {
  await chapter('01-11 Deadline', 2, w.clock, async (c) => {
    c.part(1);
    await w.advanceTo(jst('2020-01-11 00:01'));
    const phase = (await w.operator.service()).phase;
    if (phase !== 'closed') throw new Error(`the service is in ${phase} after the deadline, not closed`);
    const late = w.members.find((m) => !m.closed && w.book.balance(m.walletId) > 0);
    if (late) {
      const signIn = await w.app.attempt(late);
      if (signIn.ok) throw new Error('a customer signed in after the deadline');
      w.book.refused('sign-in', signIn.code);
    }
    c.step();
    const unclaimed = await w.operator.all(
      (page) => w.operator.api.GET('/v1/reports/refunds/unclaimed', { params: { query: page } }),
      (u) => u.walletId,
    );
    const cases = unclaimed
      .filter((u) => !w.memberOf(u.walletId)?.closed)
      .sort((a, b) => b.balance - a.balance || a.walletId.localeCompare(b.walletId))
      .slice(0, CASE_BY_CASE);
    await w.each(cases, c, async (u) => {
      const claim = await must(w.operator.api.POST('/v1/refund-claims', { body: { walletId: u.walletId, method: 'postal_payout' } }));
      await w.settle();
      const paid = await w.operator.claim(claim.id);
      if (paid.status !== 'paid') throw new Error(`the case-by-case claim ${claim.id} is ${paid.status}`);
      w.book.payout(u.walletId, paid.paidAmount, true, true);
    });
    c.tell(`${unclaimed.length.toLocaleString('en-US')} balances unclaimed; ${cases.length} refunded case by case`);
  });
}
