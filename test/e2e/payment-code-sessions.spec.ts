import { describe, expect, test } from '@jest/globals';
import { type EventJob, Queues } from '#core';
import { Customers, type CustomerIdentity, type Tokens, newIdentity } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';

const h = useHarness();

interface Shop {
  sandbox: SandboxKeys;
  c: Customers;
  storeKey: string;
}

async function shop(profile?: 'legacy-2019'): Promise<Shop> {
  const sandbox = await h.createSandbox(profile);
  const store = await h.post('/v1/stores', { name: 'Seven Ginza' }, { token: sandbox.secretKey });
  expect(store.status).toBe(201);
  return { sandbox, c: new Customers(h, sandbox), storeKey: store.body.apiKey };
}

/** A customer with a funded wallet, signed in on their phone (and, when asked, on a tablet too). */
async function customer(s: Shop): Promise<{ who: CustomerIdentity; walletId: string; phone: Tokens }> {
  const { who, walletId, tokens } = await s.c.onboard();
  await h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 10_000 }, { token: s.sandbox.secretKey });
  return { who, walletId, phone: tokens };
}

const tabletOf = (who: CustomerIdentity): CustomerIdentity => ({ ...who, deviceId: newIdentity().deviceId });

async function newCode(tokens: Tokens): Promise<string> {
  const issued = await h.post('/v1/payment-codes', undefined, { token: tokens.accessToken });
  expect(issued.status).toBe(201);
  return issued.body.code;
}

const pay = (s: Shop, code: string) => h.post('/v1/payments', { code, amount: 300 }, { token: s.storeKey });

/** The device the session of these tokens signed in on. */
async function deviceOf(tokens: Tokens): Promise<string> {
  const sessions = await h.get('/v1/auth/sessions', { token: tokens.accessToken });
  return sessions.body.data.find((session: { current: boolean }) => session.current).deviceId;
}

const forget = (tokens: Tokens, deviceId: string) =>
  h.request('DELETE', `/v1/auth/devices/${deviceId}`, undefined, { token: tokens.accessToken });

/** What the sandbox's `auth.sessions_ended` events said, oldest first. */
async function sessionEndings(s: Shop): Promise<unknown[]> {
  const events = await h.get('/v1/events?type=auth.sessions_ended&limit=100', { token: s.sandbox.secretKey });
  return events.body.data.map((event: { data: unknown }) => event.data).reverse();
}

describe('a payment code dies with the session that issued it', () => {
  test('logging out: the register is refused the code the app was showing', async () => {
    const s = await shop();
    const { phone } = await customer(s);
    const code = await newCode(phone);
    expect((await h.post('/v1/auth/logout', undefined, { token: phone.accessToken })).status).toBe(204);
    await h.drain();
    const refused = await pay(s, code);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('code_invalid');
  });

  test('forgetting a device retires the code it issued; a code from another device of the customer still pays', async () => {
    const s = await shop();
    const { who, phone } = await customer(s);
    const tabletWho = tabletOf(who);
    const tablet = await s.c.signIn(tabletWho);
    const tabletDevice = await deviceOf(tablet);

    const fromPhone = await newCode(phone);
    expect((await forget(phone, tabletDevice)).status).toBe(204);
    await h.drain();
    expect((await pay(s, fromPhone)).status).toBe(201);

    const fromTablet = await newCode(await s.c.signIn(tabletWho));
    expect((await forget(phone, tabletDevice)).status).toBe(204);
    await h.drain();
    expect((await pay(s, fromTablet)).body.code).toBe('code_invalid');
  });

  test('a password reset retires the codes of every device', async () => {
    const s = await shop();
    const { who, phone } = await customer(s);
    const fromTablet = await newCode(await s.c.signIn(tabletOf(who)));
    await s.c.requestReset({ email: who.email });
    expect((await s.c.confirmReset(await s.c.resetToken(who.email), 'amber-orchard-compass-5127')).status).toBe(204);
    await h.drain();
    expect((await h.get('/v1/account', { token: phone.accessToken })).status).toBe(401);
    expect((await pay(s, fromTablet)).body.code).toBe('code_invalid');
  });

  test("the operator's forced reset retires every signed-in customer's codes", async () => {
    const s = await shop();
    const alice = await customer(s);
    const bob = await customer(s);
    const codes = [await newCode(alice.phone), await newCode(bob.phone)];
    expect((await h.post('/v1/service/password-reset', undefined, { token: s.sandbox.secretKey })).status).toBe(202);
    await h.drain();
    for (const code of codes) expect((await pay(s, code)).body.code).toBe('code_invalid');
  });

  test("legacy-2019's silent takeover retires the victim's code on the other device; the new device's codes pay", async () => {
    const s = await shop('legacy-2019');
    const victim = newIdentity();
    const { walletId } = (await s.c.register(victim)).body;
    await h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 10_000 }, { token: s.sandbox.secretKey });
    const shown = await newCode((await s.c.login(victim)).body);

    const intruder = await s.c.login(tabletOf(victim));
    expect(intruder.body.accessToken).toEqual(expect.any(String));
    await h.drain();
    expect((await pay(s, shown)).body.code).toBe('code_invalid');
    expect((await pay(s, await newCode(intruder.body))).status).toBe(201);
  });

  test('hearing of an ending again, late, retires nothing issued since: the same phone signed in again keeps its new code', async () => {
    const s = await shop();
    const { who, phone } = await customer(s);
    await newCode(phone);
    await h.post('/v1/auth/logout', undefined, { token: phone.accessToken });
    await h.drain();
    const fresh = await newCode(await s.c.signIn(who));

    const [ending] = await h.db.rows<{ id: string; data: EventJob<'auth.sessions_ended'>['data']; occurred_at: Date }>(
      `SELECT id, data, occurred_at FROM outbox_events WHERE sandbox_id = $1 AND type = $2`,
      [s.sandbox.id, 'auth.sessions_ended'],
    );
    const late: EventJob<'auth.sessions_ended'> = {
      eventId: ending.id,
      sandboxId: s.sandbox.id,
      type: 'auth.sessions_ended',
      data: ending.data,
      requestId: null,
      occurredAt: ending.occurred_at.toISOString(),
    };
    await h.api.get(Queues).add('barcode.on-sessions-ended', late, [ending.id, 'late']);
    await h.drain();
    expect((await pay(s, fresh)).status).toBe(201);
  });

  test('a code used before the logout stays a captured payment: nothing is reversed', async () => {
    const s = await shop();
    const { walletId, phone } = await customer(s);
    const code = await newCode(phone);
    const paid = await pay(s, code);
    expect(paid.body.status).toBe('captured');
    await h.post('/v1/auth/logout', undefined, { token: phone.accessToken });
    await h.drain();

    expect((await h.get(`/v1/payments/${paid.body.id}`, { token: s.storeKey })).body).toMatchObject({ status: 'captured', amount: 300 });
    expect((await h.get(`/v1/sandbox/wallets/${walletId}`, { token: s.sandbox.secretKey })).body.balance).toBe(9_700);
    expect((await pay(s, code)).body.code).toBe('code_used');
  });
});

describe('auth.sessions_ended', () => {
  test('is written once per ending that ended sessions, naming the devices whose sessions ended (null: all of them)', async () => {
    const s = await shop();
    const { who, walletId, phone } = await customer(s);
    const tabletWho = tabletOf(who);
    const tablet = await s.c.signIn(tabletWho);
    const [phoneDevice, tabletDevice] = [await deviceOf(phone), await deviceOf(tablet)];
    const userId = (await h.get('/v1/account', { token: phone.accessToken })).body.userId;

    await forget(phone, tabletDevice);
    expect((await forget(phone, tabletDevice)).status).toBe(204); // its sessions had already ended
    const again = await s.c.signIn(tabletWho);
    await h.post('/v1/auth/logout', undefined, { token: again.accessToken });
    const renewed = await s.c.refresh(phone.refreshToken);
    expect((await s.c.refresh(phone.refreshToken)).status).toBe(401); // reused: the phone's session ends
    expect((await h.get('/v1/account', { token: renewed.body.accessToken })).status).toBe(401);
    const last = await s.c.signIn(who);
    await s.c.signIn(tabletWho);
    const changed = await s.c.stepUp(who, last.accessToken, () =>
      h.post('/v1/auth/password', { currentPassword: who.password, newPassword: 'quiet-river-saddle-2048' }, { token: last.accessToken }),
    );
    expect(changed.status).toBe(204);

    const ending = (deviceIds: string[] | null, reason: string) => ({ userId, walletId, deviceIds, reason });
    expect(await sessionEndings(s)).toEqual([
      ending([tabletDevice], 'device_forgotten'),
      ending([tabletDevice], 'logout'),
      ending([phoneDevice], 'refresh_token_reuse'),
      ending(null, 'password_changed'),
    ]);
  });

  test("legacy-2019's takeover names the devices it ended, not the new one", async () => {
    const s = await shop('legacy-2019');
    const victim = newIdentity();
    const { userId, walletId } = (await s.c.register(victim)).body;
    const victimDevice = await deviceOf((await s.c.login(victim)).body);
    await s.c.login(tabletOf(victim));
    expect(await sessionEndings(s)).toEqual([{ userId, walletId, deviceIds: [victimDevice], reason: 'device_takeover' }]);
  });
});
