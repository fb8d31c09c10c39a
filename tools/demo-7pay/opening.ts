import { must } from './api.js';
import type { Member } from './app.js';
import type { CustomerPlan } from './cast.js';
import { jst } from './clock.js';
import { type Chapter, chapter } from './progress.js';
import { shoppingRound } from './shopping.js';
import type { World } from './world.js';

/** The customers' mobile carrier, added to what the fraud rules take as Japan (the sandbox has no GeoIP). */
const MOBILE_CARRIER_NETWORK = '126.0.0.0/8';
/** 07-01: the launch's sign-ups came in waves through the day; [time, share of the customers]. */
const SIGN_UP_WAVES: ReadonlyArray<readonly [string, number]> = [
  ['2019-07-01 07:00', 0.45],
  ['2019-07-01 10:00', 0.35],
  ['2019-07-01 12:00', 0.2],
];
/** Ordinary days before the attack: [time, share of customers out shopping]. */
const FIRST_DAYS: ReadonlyArray<readonly [string, number]> = [
  ['2019-07-01 12:30', 0.5],
  ['2019-07-01 19:00', 0.4],
  ['2019-07-02 08:00', 0.45],
  ['2019-07-02 12:30', 0.4],
];
const TRAVELLERS_SIGN_IN = '2019-07-02 10:00';
/** Abroad on a trip (Seoul): outside the domestic networks. */
const ABROAD_NETWORK = '211.36';

/** 07-01 05:00: the sandbox's operator opens the chain's stores and tells the fraud rules which networks are Japan's. */
export async function launch(w: World): Promise<void> {
  await chapter('07-01 Launch', 2, w.clock, async (c) => {
    c.part(1);
    const settings = await must(w.operator.api.GET('/v1/fraud/settings'));
    const domesticNetworks = [...settings.domesticNetworks, MOBILE_CARRIER_NETWORK];
    await must(w.operator.api.POST('/v1/fraud/settings', { body: { domesticNetworks } }));
    c.step();
    w.stores = new Array(w.cast.stores.length);
    await w.each(
      w.cast.stores.map((plan, index) => ({ plan, index })),
      c,
      async ({ plan, index }) => {
        const { id, apiKey } = await must(w.operator.api.POST('/v1/stores', { body: plan }));
        w.stores[index] = { plan, id, apiKey };
      },
    );
    w.book.stores = w.stores.length;
    c.tell(`${w.stores.length} stores in ${new Set(w.cast.stores.map((s) => s.city)).size} cities`);
  });
}

/** 07-01: everyone registers and signs in on their phone; card users add a card, points users bring their points. */
export async function signUps(w: World): Promise<void> {
  await chapter('07-01 Sign-ups', SIGN_UP_WAVES.length, w.clock, async (c) => {
    let from = 0;
    for (const [at, share] of SIGN_UP_WAVES) {
      const to = Math.min(w.cast.customers.length, from + Math.ceil(w.cast.customers.length * share));
      await w.advanceTo(jst(at));
      await w.each(w.cast.customers.slice(from, to), c, (plan) => signUp(w, plan));
      from = to;
      c.tell(`${w.members.length.toLocaleString('en-US')} customers`);
    }
    await w.settle();
  });
}

async function signUp(w: World, plan: CustomerPlan): Promise<void> {
  const registered = await w.app.register(plan);
  if (!registered.ok) throw new Error(`customer ${plan.n} could not register: ${registered.code}`);
  const m: Member = {
    plan,
    ...registered.value,
    password: plan.password,
    ip: plan.ip,
    deviceId: plan.deviceId,
    cardId: null,
    points: plan.loyaltyPoints,
    abroad: false,
    session: null,
    mustResetPassword: false,
    takenOver: false,
    closed: false,
  };
  w.join(m);
  await w.app.signIn(m);
  if (plan.card) {
    const number = plan.card;
    const card = await w.app.call(m, (app) => app.POST('/v1/cards', { body: { number, expMonth: 12, expYear: 2023, cvc: '123' } }));
    if (!card.ok) throw new Error(`customer ${plan.n} could not add a card: ${card.code}`);
    m.cardId = card.value.id;
  }
  if (m.points > 0) {
    const { walletId, points } = m;
    await must(w.operator.api.POST('/v1/sandbox/wallets/{walletId}/points', { params: { path: { walletId } }, body: { points } }));
  }
}

/** 07-01 to 07-02: top-ups on every channel and purchases near home; on 07-02 a few customers change phones abroad. */
export async function firstDays(w: World): Promise<void> {
  await chapter('07-01 First days', FIRST_DAYS.length * 2 + 2, w.clock, async (c) => {
    let travelled = false;
    for (const [at, share] of FIRST_DAYS) {
      if (!travelled && jst(at) > jst(TRAVELLERS_SIGN_IN)) {
        await travellersSignIn(w, c);
        travelled = true;
      }
      await shoppingRound(w, c, jst(at), share, true);
      c.tell(`¥${w.book.total().toLocaleString('en-US')} in wallets`);
    }
  });
}

/**
 * A traveller's new phone, abroad: the password alone opens the account on
 * legacy-2019, and the rules (new device, overseas, a new country) hold the
 * wallet. The customer then finds they cannot pay.
 */
async function travellersSignIn(w: World, c: Chapter): Promise<void> {
  await w.advanceTo(jst(TRAVELLERS_SIGN_IN));
  const r = w.random.stream('travellers');
  const travellers = w.members.filter((m) => m.plan.traveller);
  for (const m of travellers) {
    m.abroad = true;
    m.ip = `${ABROAD_NETWORK}.${r.int(0, 255)}.${r.int(1, 254)}`;
    m.deviceId = `${m.plan.deviceId.slice(0, -4)}${r.int(1000, 9999)}`;
    m.session = null;
  }
  await w.each(travellers, c, (m) => w.app.signIn(m));
  await w.settle();
  await w.each(travellers, c, async (m) => {
    const code = await w.app.call(m, (app) => app.POST('/v1/payment-codes'));
    if (!code.ok) w.book.refused('payment code', code.code);
  });
}
