import { type Answer, answer } from './api.js';
import type { Member } from './app.js';
import type { Channel } from './cast.js';
import type { TopupView } from './operator.js';
import type { Chapter } from './progress.js';
import type { Random } from './random.js';
import type { Payment, Store } from './registers.js';
import type { World } from './world.js';

/** What people bought at a convenience store: [category, lowest price, highest price, how often]. */
const BASKETS: ReadonlyArray<readonly [string, number, number, number]> = [
  ['groceries', 298, 1_860, 4],
  ['bento', 398, 698, 3],
  ['coffee', 100, 180, 3],
  ['drinks', 108, 324, 3],
  ['snacks', 120, 450, 2],
];
/** One or two packs. */
const TOBACCO = { low: 490, high: 1_040 };
/** Amounts people put in, by channel (card top-ups go in ¥1,000 units). */
const TOP_UP_AMOUNTS: Record<Channel, readonly number[]> = {
  register_cash: [1_000, 2_000, 3_000, 5_000, 10_000],
  card: [3_000, 5_000, 10_000],
  points: [500, 1_000, 2_000, 3_000],
  atm: [5_000, 10_000, 20_000],
};

export interface Basket {
  store: Store;
  amount: number;
  category: string;
}

export interface TopUpPlan {
  channel: Channel;
  amount: number;
  /** Where cash is paid in at the register. */
  store: Store;
}

/** One customer's visit in a round, drawn before anything is sent, so the seed alone decides it. */
interface Visit {
  m: Member;
  topUp: TopUpPlan | null;
  baskets: Basket[];
}

export function basket(w: World, m: Member, r: Random): Basket {
  const store = w.stores[r.pick(m.plan.homeStores)];
  if (m.plan.smoker && r.chance(0.5)) return { store, category: 'tobacco', amount: r.int(TOBACCO.low, TOBACCO.high) };
  const [category, low, high] = r.weighted(BASKETS.map((b) => [b, b[3]] as const));
  return { store, category, amount: r.int(low, high) };
}

/** A purchase that went through: who paid, where, and the register's answer. */
export interface Purchase {
  m: Member;
  store: Store;
  payment: Payment;
}

/**
 * A round of ordinary life at one sandbox time: a share of the customers
 * tops up (when `topUps`) and shops near home. Each pays only what their
 * wallet holds, so purchases wait until the round's top-ups have settled;
 * with `spendDown` they pay what the wallet holds and the rest in cash, as
 * 7pay allowed, which is how balances ran down before the end.
 */
export async function shoppingRound(
  w: World,
  c: Chapter,
  at: Date,
  share: number,
  topUps: boolean,
  spendDown = false,
): Promise<Purchase[]> {
  await w.advanceTo(at);
  const r = w.random.stream(`round ${at.toISOString()}`);
  const visits: Visit[] = r.some(w.members, share).flatMap((m) => {
    if (m.takenOver || m.abroad || m.closed) return [];
    const wantsTopUp =
      topUps &&
      m.plan.channel !== null &&
      (m.plan.channel !== 'points' || m.points > 0) &&
      (w.book.balance(m.walletId) < 2_000 || r.chance(0.3));
    const channel = m.plan.channel as Channel;
    return [
      {
        m,
        topUp: wantsTopUp ? { channel, amount: r.pick(TOP_UP_AMOUNTS[channel]), store: w.stores[r.pick(m.plan.homeStores)] } : null,
        baskets: Array.from({ length: r.int(1, 2) }, () => basket(w, m, r)),
      },
    ];
  });
  const toppingUp = visits.flatMap((v) => (v.topUp ? [{ m: v.m, plan: v.topUp }] : []));
  await w.each(toppingUp, c, async (t) => {
    await topUp(w, t.m, t.plan);
  });
  await w.settleTopups();
  const purchases: Purchase[] = [];
  await w.each(visits, c, async (v) => {
    for (const b of v.baskets) {
      const balance = w.book.balance(v.m.walletId);
      if (balance <= 0 || (!spendDown && balance < b.amount)) continue;
      const payment = await buy(w, v.m, b, spendDown);
      if (payment) purchases.push({ m: v.m, store: b.store, payment });
    }
  });
  await w.settle();
  return purchases.sort((a, b) => a.m.plan.n - b.m.plan.n || a.payment.id.localeCompare(b.payment.id));
}

/**
 * A top-up by the customer's channel. When card top-ups are suspended, a
 * card customer pays cash in at the register instead (7pay, 07-03).
 * Returns false when the api refused it.
 */
export async function topUp(w: World, m: Member, plan: TopUpPlan): Promise<boolean> {
  const accepted = await requestTopup(w, m, plan);
  if (accepted.ok) {
    w.follow(accepted.value, m);
    return true;
  }
  w.book.refused(`${plan.channel} top-up`, accepted.code);
  if (plan.channel === 'card' && accepted.code === 'service_suspended') return topUp(w, m, { ...plan, channel: 'register_cash' });
  return false;
}

async function requestTopup(w: World, m: Member, { channel, amount, store }: TopUpPlan): Promise<Answer<TopupView>> {
  switch (channel) {
    case 'card':
      return w.app.call(m, (app) => app.POST('/v1/topups', { body: { amount, channel, cardId: m.cardId ?? undefined } }));
    case 'points': {
      const points = Math.min(amount, m.points);
      const asked = await w.app.call(m, (app) => app.POST('/v1/topups', { body: { amount: points, channel } }));
      if (asked.ok) m.points -= points;
      return asked;
    }
    case 'atm': {
      const asked = await w.app.call(m, (app) => app.POST('/v1/topups', { body: { amount, channel } }));
      if (!asked.ok) return asked;
      // At the bank's ATM, the customer keys in the deposit code and puts the cash in.
      const depositCode = asked.value.nextAction?.depositCode;
      if (!depositCode) throw new Error(`customer ${m.plan.n}'s ATM top-up came without a deposit code`);
      return answer(w.operator.api.POST('/v1/sandbox/atm/deposits', { body: { depositCode } }));
    }
    case 'register_cash': {
      const code = await paymentCode(w, m);
      return code.ok ? w.registers.takeCash(store, code.value, amount) : code;
    }
  }
}

/** Shows a payment code at the register and pays the basket with it; `who` labels a refusal ("attacker's "). */
export async function buy(w: World, m: Member, b: Basket, allowPartial = false, who = ''): Promise<Payment | null> {
  const code = await paymentCode(w, m);
  const paid = code.ok ? await w.registers.pay(b.store, code.value, b.amount, b.category, allowPartial) : code;
  if (!paid.ok) {
    w.book.refused(`${who}${code.ok ? 'payment' : 'payment code'}`, paid.code);
    return null;
  }
  w.book.purchase(m.walletId, paid.value.amount);
  return paid.value;
}

/** The digits of a fresh one-time payment code, as the register scans them. */
async function paymentCode(w: World, m: Member): Promise<Answer<string>> {
  const issued = await w.app.call(m, (app) => app.POST('/v1/payment-codes'));
  return issued.ok ? { ok: true, value: issued.value.code } : issued;
}
