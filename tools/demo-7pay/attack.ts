import type { Member } from './app.js';
import { type AttackPlan, type LeakedPair, STOLEN_CARD } from './cast.js';
import { jst } from './clock.js';
import { chapter } from './progress.js';
import type { Random } from './random.js';
import type { Store } from './registers.js';
import { buy } from './shopping.js';
import type { World } from './world.js';

/** The two waves of the leaked list: 07-02 in the evening, 07-03 before dawn. */
const WAVES = ['2019-07-02 19:00', '2019-07-03 05:00'] as const;
/** Seconds from a wave's start at which each step happens: the first minute, then twenty and forty minutes on. */
const TICKS = [0, 15, 30, 45, 20 * 60, 40 * 60] as const;

type Step = 'sign_in' | 'top_up' | 'buy' | null;

/** What each kind of attacker does at each tick: the rules meet each at a different step. */
const STEPS: Record<AttackPlan, readonly Step[]> = {
  // 7pay's pattern: card top-ups several times a minute, then cigarettes.
  rapid: ['sign_in', 'top_up', 'top_up', 'top_up', 'buy', 'buy'],
  // A top-up, straight to the register, then more.
  shopper: ['sign_in', 'top_up', 'buy', 'buy', 'top_up', 'buy'],
  // Waits out the sign-in's risk, then one top-up and one purchase: below every threshold.
  slow: ['sign_in', null, null, null, 'top_up', 'buy'],
};
/** 7pay's attackers topped up ¥10,000 a time. */
const TOP_UP = 10_000;
/** Resellable goods: a carton of cigarettes, ten packs. */
const CARTON = { low: 4_900, high: 5_400 };
const MAX_CARTONS = 4;

/** An account in the attacker's hands: the victim's wallet, reached from the attacker's phone and network. */
interface Intrusion {
  victim: Member;
  /** The same account as the app on the attacker's phone sees it. */
  phone: Member;
  plan: AttackPlan;
  /** Where the goods are bought: a store in another city than the victim's. */
  store: Store;
  cardAdded: boolean;
  /** Draws of this intrusion alone, so the order calls finish in changes nothing. */
  random: Random;
}

/**
 * The credential-stuffing waves of 07-02 and 07-03: every pair of the
 * leaked list is tried from the attackers' networks. On `legacy-2019` a
 * right password alone opens the account on a new phone and silently takes
 * it over; the attacker then follows a plan, tick by tick, and the fraud
 * rules meet each plan at a different step.
 */
export async function credentialStuffing(w: World): Promise<void> {
  for (const [batch, start] of WAVES.entries()) {
    const pairs = w.cast.leak.filter((p) => p.batch === batch);
    await chapter(`${start.slice(5, 10)} Stuffing wave ${batch + 1}`, TICKS.length, w.clock, async (c) => {
      let intrusions: Intrusion[] = [];
      for (const [tick, seconds] of TICKS.entries()) {
        await w.advanceTo(new Date(jst(start).getTime() + seconds * 1000));
        if (tick === 0) {
          await w.each(pairs, c, async (pair) => {
            const intrusion = await tryPair(w, pair, jst(start));
            if (intrusion) intrusions.push(intrusion);
          });
          intrusions = intrusions.sort((a, b) => a.victim.plan.n - b.victim.plan.n);
          await w.settle();
          await countHeldAtSignIn(w, intrusions);
        } else {
          await w.each(intrusions, c, (i) => act(w, i, STEPS[i.plan][tick]));
          await w.settleTopups();
        }
        c.tell(`${w.book.attack.takeovers} accounts taken over; ¥${stolen(w).toLocaleString('en-US')} charged to victims`);
      }
    });
  }
}

/** Total charged in the victims' names so far: their cards' top-ups, or what was spent, whichever is more. */
export function stolen(w: World): number {
  let yen = 0;
  for (const t of w.book.thefts.values()) yen += Math.max(t.topups.yen, t.spent.yen);
  return yen;
}

async function tryPair(w: World, pair: LeakedPair, waveStart: Date): Promise<Intrusion | null> {
  w.book.attack.attempts += 1;
  const victim = w.memberByEmail(pair.email);
  if (!victim || victim.takenOver) {
    await w.app.attempt(stranger(pair));
    return null;
  }
  const phone: Member = {
    ...victim,
    password: pair.password,
    ip: pair.ip,
    deviceId: pair.deviceId,
    session: null,
    mustResetPassword: false,
  };
  if (!(await w.app.attempt(phone)).ok) return null;
  victim.takenOver = true;
  w.book.attack.takeovers += 1;
  w.book.theft(victim.walletId, victim.plan.n, waveStart);
  const random = w.random.stream(`intrusion ${pair.email}`);
  const away = w.stores.filter((s) => s.plan.city !== victim.plan.city);
  return { victim, phone, plan: pair.plan, store: random.pick(away), cardAdded: false, random };
}

/** A pair whose e-mail is nobody's here: the attempt fails like any other. */
function stranger(pair: LeakedPair): Member {
  return {
    plan: { email: pair.email } as Member['plan'],
    userId: '',
    walletId: '',
    password: pair.password,
    ip: pair.ip,
    deviceId: pair.deviceId,
    cardId: null,
    points: 0,
    abroad: false,
    session: null,
    mustResetPassword: false,
    takenOver: false,
    closed: false,
  };
}

/** Sign-ins the rules held at once (overseas, new device, new country): the wallet is frozen before any money moves. */
async function countHeldAtSignIn(w: World, intrusions: Intrusion[]): Promise<void> {
  for (const i of intrusions) {
    const wallet = await w.app.call(i.phone, (app) => app.GET('/v1/wallet'));
    if (wallet.ok && wallet.value.status === 'on_hold') w.book.attack.heldAtSignIn += 1;
  }
}

async function act(w: World, i: Intrusion, step: Step): Promise<void> {
  if (step === 'top_up') await topUpFromCard(w, i);
  if (step === 'buy') await buyCartons(w, i);
}

/** A card top-up in the victim's name: the card on the account, or the attackers' own added to it. */
async function topUpFromCard(w: World, i: Intrusion): Promise<void> {
  if (!i.phone.cardId && !i.cardAdded) {
    i.cardAdded = true;
    const stolenCard = { number: STOLEN_CARD, expMonth: 11, expYear: 2022, cvc: '911' };
    const card = await w.app.call(i.phone, (app) => app.POST('/v1/cards', { body: stolenCard }));
    if (!card.ok) {
      w.book.refused("attacker's card", card.code);
      return;
    }
    i.phone.cardId = card.value.id;
  }
  if (!i.phone.cardId) return;
  const cardId = i.phone.cardId;
  const topup = await w.app.call(i.phone, (app) => app.POST('/v1/topups', { body: { amount: TOP_UP, channel: 'card', cardId } }));
  if (topup.ok) w.follow(topup.value, i.victim, true);
  else w.book.refused("attacker's card top-up", topup.code);
}

/** Cartons of cigarettes for as much as the wallet holds, by the replay's book. */
async function buyCartons(w: World, i: Intrusion): Promise<void> {
  const balance = w.book.balance(i.victim.walletId);
  const cartons = Math.min(MAX_CARTONS, Math.floor(balance / CARTON.high));
  if (cartons === 0) return;
  const amount = Array.from({ length: cartons }, () => i.random.int(CARTON.low, CARTON.high)).reduce((a, b) => a + b, 0);
  const paid = await buy(w, i.phone, { store: i.store, amount, category: 'tobacco' }, false, "attacker's ");
  if (!paid) return;
  const theft = w.book.theft(i.victim.walletId, i.victim.plan.n);
  theft.spent.count += 1;
  theft.spent.yen += paid.amount;
}
