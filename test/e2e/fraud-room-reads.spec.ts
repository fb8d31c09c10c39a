import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { Customers, newIdentity } from '../support/customers.js';
import { useHarness } from '../support/harness.js';

const h = useHarness();

describe("what the fraud room reads: a hold's case file and the damage over time", () => {
  test("the case file shows the owner's and the attacker's sign-ins, devices, addresses, the held top-up and the payment; the damage report's timeline follows the confirmation and the compensation", async () => {
    const sandbox = await h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const c = new Customers(h, sandbox);
    const owner = await c.onboard(newIdentity(), '133.10.20.30');
    await h.post(`/v1/sandbox/wallets/${owner.walletId}/fund`, { amount: 5_000 }, secret);
    const store = (await h.post('/v1/stores', { name: 'Seven Ginza', location: { latitude: 35.67, longitude: 139.76 } }, secret)).body;
    const { code } = (await h.post('/v1/payment-codes', undefined, { token: owner.tokens.accessToken })).body;
    expect((await h.post('/v1/payments', { code, amount: 1_200, category: 'groceries' }, { token: store.apiKey })).status).toBe(201);
    // Without the new-country rule the sign-in from abroad stays below review: the first top-up is what gets held.
    await h.post('/v1/fraud/settings', { rules: { 'login.new_country': { enabled: false } } }, secret);
    const login = await c.login({ ...owner.who, deviceId: randomUUID() }, '185.220.101.8');
    const attacker = (await c.verify(login.body.challengeId, await c.latestCode(owner.who.phone), undefined, '185.220.101.8')).body;
    await h.drain();
    const cardId = await c.addCard(owner.who, attacker.accessToken);
    await c.stepUp(owner.who, attacker.accessToken, () =>
      h.post('/v1/topups', { amount: 10_000, channel: 'card', cardId }, { token: attacker.accessToken }),
    );
    await h.drain();
    const [hold] = (await h.get('/v1/holds?status=open', secret)).body.data;
    expect(hold.topupIds).toHaveLength(1);

    const file = await h.get(`/v1/holds/${hold.id}/case-file`, secret);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ holdId: hold.id, walletId: owner.walletId });
    expect(file.body.signIns).toEqual([
      expect.objectContaining({ ip: '185.220.101.8', country: 'overseas', deviceId: expect.stringMatching(/^dev_/), newDevice: true }),
      expect.objectContaining({ ip: '133.10.20.30', country: 'JP', deviceId: expect.stringMatching(/^dev_/) }),
    ]);
    const [attackerDevice, ownerDevice] = file.body.signIns.map((s: any) => s.deviceId);
    expect(attackerDevice).not.toBe(ownerDevice);
    expect(file.body.signIns[0].score).toBeGreaterThan(0);
    expect(file.body.devices.map((d: any) => [d.deviceId, d.signIns])).toEqual([
      [attackerDevice, 1],
      [ownerDevice, 1],
    ]);
    expect(file.body.ips.map((i: any) => [i.ip, i.country])).toEqual([
      ['185.220.101.8', 'overseas'],
      ['133.10.20.30', 'JP'],
    ]);
    expect(file.body.topups).toEqual([
      expect.objectContaining({ id: hold.topupIds[0], amount: 10_000, channel: 'card', settled: false, held: true }),
    ]);
    expect(file.body.payments).toEqual([expect.objectContaining({ amount: 1_200, storeId: store.id, category: 'groceries' })]);
    expect((await h.get('/v1/holds/hld_nope/case-file', secret)).status).toBe(404);

    const before = (await h.get('/v1/reports/damage', secret)).body;
    expect(before.timeline).toEqual([{ at: before.asOf, victims: 0, damage: 0, compensated: 0 }]);
    await h.post('/v1/sandbox/clock/advance', { seconds: 60 }, secret);
    const confirmed = await h.post(`/v1/holds/${hold.id}/confirm-fraud`, { reason: 'not the customer' }, secret);
    expect(confirmed.status).toBe(200);
    await h.drain();
    await h.post('/v1/sandbox/clock/advance', { seconds: 60 }, secret);
    const after = (await h.get('/v1/reports/damage', secret)).body;
    const [victim] = after.list;
    expect(after).toMatchObject({ victims: 1, compensated: { victims: 1 } });
    expect(victim.compensation.status).toBe('paid');
    expect(after.timeline[0]).toEqual({ at: victim.confirmedAt, victims: 1, damage: victim.damage, compensated: expect.any(Number) });
    expect(after.timeline.at(-1)).toEqual({
      at: after.asOf,
      victims: 1,
      damage: after.amount,
      compensated: victim.damage,
    });
    const asOfBefore = (await h.get(`/v1/reports/damage?asOf=${encodeURIComponent(before.asOf)}`, secret)).body;
    expect(asOfBefore.timeline).toEqual([{ at: before.asOf, victims: 0, damage: 0, compensated: 0 }]);
  });
});
