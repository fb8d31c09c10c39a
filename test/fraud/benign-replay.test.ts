import { expect, test } from '@jest/globals';
import { type EventJob, SandboxTime, type Topic, newId, sha256Hex } from '#core';
import { FraudDecisions } from '#fraud';
import { useHarness } from '../support/harness.js';

// No worker: events go straight to the fraud module's handlers, in order per customer.
const h = useHarness({ worker: false });

/** mulberry32: the same customers and the same days on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const USERS = 1_000;
const DAYS = 2;
const TOKYO_STORES = 16;

test(`a deterministic replay of ${USERS} ordinary customers over ${DAYS} days puts fewer than 1% on hold`, async () => {
  const sandbox = await h.createSandbox();
  const stores: Array<{ id: string; city: 'tokyo' | 'osaka' }> = [];
  const random = prng(7);
  for (let i = 0; i < TOKYO_STORES + 4; i++) {
    const osaka = i >= TOKYO_STORES;
    const location = osaka
      ? { latitude: 34.69 + random() * 0.05, longitude: 135.49 + random() * 0.05 }
      : { latitude: 35.65 + random() * 0.08, longitude: 139.7 + random() * 0.08 };
    const store = await h.post('/v1/stores', { name: `Store ${i}`, location }, { token: sandbox.secretKey });
    stores.push({ id: store.body.id, city: osaka ? 'osaka' : 'tokyo' });
  }
  const context = { id: sandbox.id, securityProfile: 'hardened' as const, time: new SandboxTime(0) };
  const decisions = h.api.get(FraudDecisions);
  const start = Date.UTC(2026, 0, 5, 0, 0, 0);
  const job = <T extends Topic>(type: T, at: number, data: EventJob<T>['data']): EventJob<T> => ({
    eventId: newId('evt'),
    sandboxId: sandbox.id,
    type,
    data,
    requestId: null,
    occurredAt: new Date(at).toISOString(),
  });

  /** One customer's ordinary days: signing in at home, topping up now and then, shopping near home. */
  async function live(index: number): Promise<void> {
    const r = prng(1_000 + index);
    const userId = newId('usr');
    const walletId = newId('wal');
    const device = sha256Hex(`phone-${index}`);
    const ip = `133.${1 + (index % 200)}.${Math.floor(r() * 250)}.${1 + Math.floor(r() * 250)}`;
    const smoker = r() < 0.1;
    const traveller = r() < 0.05;
    const newPhoneDay = r() < 0.03 ? 1 : -1;
    const home = [stores[Math.floor(r() * TOKYO_STORES)], stores[Math.floor(r() * TOKYO_STORES)]];
    const cardId = newId('crd');
    let balance = 0;
    const events: EventJob[] = [];
    const client = { ip, userAgent: 'WalletApp/3.1', deviceHash: device };
    events.push(
      job('auth.login_succeeded', start + index * 1_000, {
        userId,
        walletId,
        deviceId: newId('dev'),
        newDevice: true,
        secondFactor: 'sms',
        ...client,
      }),
    );
    events.push(job('card.added', start + index * 1_000 + 60_000, { cardId, userId, walletId, brand: 'visa', last4: '4242' }));
    for (let day = 0; day < DAYS; day++) {
      let t = start + day * 86_400_000 + 8 * 3_600_000 + Math.floor(r() * 3_600_000);
      if (day === newPhoneDay) {
        const phone = { ...client, deviceHash: sha256Hex(`new-phone-${index}`) };
        events.push(
          job('auth.login_succeeded', t, { userId, walletId, deviceId: newId('dev'), newDevice: true, secondFactor: 'sms', ...phone }),
        );
        t += 20 * 60_000;
      }
      if (day === 0 || r() < 0.5) {
        const topupId = newId('top');
        const channel = (['card', 'atm', 'register_cash', 'points'] as const)[Math.floor(r() * 4)];
        const amount = 1_000 * (1 + Math.floor(r() * 20));
        const facts = { topupId, walletId, userId, channel, amount, cardId: channel === 'card' ? cardId : null, storeId: null };
        events.push(job('topup.requested', t, facts));
        events.push(job('topup.succeeded', t + 5_000, { ...facts, transferId: newId('trf'), balance: balance + amount }));
        balance += amount;
        t += 30 * 60_000 + Math.floor(r() * 3_600_000);
      }
      for (let p = 0; p < 3; p++) {
        const amount = 200 + Math.floor(r() * 2_800);
        if (amount > balance) break;
        const away = traveller && day === DAYS - 1 && p === 2;
        const store = away ? stores[TOKYO_STORES + Math.floor(r() * 4)] : home[p % 2];
        balance -= amount;
        const facts = {
          paymentId: newId('pay'),
          storeId: store.id,
          terminalId: null,
          walletId,
          userId,
          method: 'cpm' as const,
          amount,
          status: 'captured',
          category: smoker && r() < 0.5 ? 'tobacco' : 'groceries',
        };
        events.push(job('payment.captured', t, { ...facts, cashDue: 0, walletBalance: balance }));
        // A trip to Osaka is a shinkansen ride away (three hours), not a leap.
        t += away ? 3 * 3_600_000 : 2 * 3_600_000 + Math.floor(r() * 3_600_000);
      }
    }
    events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    for (const event of events) {
      if (event.type === 'topup.requested') await decisions.screenTopup(context, event as EventJob<'topup.requested'>);
      else await decisions.onEvent(context, event);
    }
  }

  const queue = Array.from({ length: USERS }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await live(next);
    }),
  );

  const [observed] = await h.db.rows<{ n: string }>(`SELECT count(*) AS n FROM fraud_observations WHERE sandbox_id = $1`, [sandbox.id]);
  expect(Number(observed.n)).toBeGreaterThan(USERS * 6);
  const [held] = await h.db.rows<{ n: string }>(`SELECT count(DISTINCT wallet_id) AS n FROM fraud_holds WHERE sandbox_id = $1`, [
    sandbox.id,
  ]);
  const [declined] = await h.db.rows<{ n: string }>(
    `SELECT count(*) AS n FROM fraud_screenings WHERE sandbox_id = $1 AND decision <> 'approve'`,
    [sandbox.id],
  );
  // The rules do fire on ordinary life (cigarettes, a new phone, a trip): what must stay rare is a hold.
  const hits = await h.db.rows<{ rule: string }>(`SELECT DISTINCT rule FROM fraud_rule_hits WHERE sandbox_id = $1`, [sandbox.id]);
  expect(hits.map((r) => r.rule)).toEqual(
    expect.arrayContaining(['payment.high_risk_category', 'login.new_device', 'topup.after_new_device']),
  );
  expect(Number(held.n) / USERS).toBeLessThan(0.01);
  expect(Number(declined.n)).toBeLessThan(USERS * 0.01);
}, 180_000); // 20 s alone; three times that beside the browser suites on 2 cores
