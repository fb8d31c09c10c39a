import { describe, expect, test } from '@jest/globals';
import { generate } from 'otplib';
import { THROTTLE, commonPasswordCount } from '#identity';
import { Customers, newIdentity } from '../support/customers.js';
import { useHarness } from '../support/harness.js';

const h = useHarness();

async function customers(profile?: 'hardened' | 'legacy-2019'): Promise<Customers> {
  return new Customers(h, await h.createSandbox(profile));
}

describe('registration', () => {
  test('opens the wallet in the ledger and welcomes the customer', async () => {
    const c = await customers();
    const who = newIdentity();
    const reply = await c.register(who, { birthday: '1990-04-01' });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ userId: expect.stringMatching(/^usr_/), walletId: expect.stringMatching(/^wal_/) });
    const wallet = await h.get(`/v1/sandbox/wallets/${reply.body.walletId}`, { token: c.sandbox.secretKey });
    expect(wallet.body).toEqual({ id: reply.body.walletId, balance: 0, available: 0 });
    expect((await c.messages(who.email))[0].subject).toBe('Welcome');
    const events = await h.get('/v1/events?type=user.registered', { token: c.sandbox.secretKey });
    expect(events.body.data[0].data).toMatchObject({ userId: reply.body.userId, walletId: reply.body.walletId, ip: '127.0.0.1' });
  });

  test('password policy: at least 8 characters, 64 and more allowed, no composition rules, common passwords refused', async () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
    const c = await customers();
    const refused = async (password: string) => (await c.register(newIdentity({ password }))).body.errors?.[0]?.message;
    expect(await refused('short7!')).toMatch(/at least 8/);
    expect(await refused('password')).toMatch(/too common/);
    expect(await refused('Password')).toMatch(/too common/);
    expect(await refused('iloveyou')).toMatch(/too common/);
    expect((await c.register(newIdentity({ password: 'all lower case words here' }))).status).toBe(201);
    expect((await c.register(newIdentity({ password: 'x'.repeat(64) + 'y'.repeat(64) }))).status).toBe(201);
    expect((await c.register(newIdentity({ password: 'ぱすわーど長いけど安全' }))).status).toBe(201);
  });

  test('a taken e-mail gets the same answer, creates nothing, and tells the real owner', async () => {
    const c = await customers();
    const who = newIdentity();
    const first = await c.register(who);
    const again = await c.register({ ...who, password: 'another-long-passphrase', phone: '+819000000001' });
    expect(again.status).toBe(first.status);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(first.body).sort());
    expect(again.body.userId).not.toBe(first.body.userId);
    expect((await h.get(`/v1/sandbox/wallets/${again.body.walletId}`, { token: c.sandbox.secretKey })).status).toBe(404);
    expect((await c.messages(who.email)).map((m) => m.subject)).toContain('Someone tried to register with your address');
    const login = await c.login({ ...who, password: 'another-long-passphrase' });
    expect(login.status).toBe(401);
  });
});

describe('sign-in on hardened', () => {
  test('a new device gets a challenge and an SMS code; the code opens a session and the device becomes trusted', async () => {
    const c = await customers();
    const who = newIdentity();
    await c.register(who);
    const login = await c.login(who);
    expect(login.status).toBe(200);
    // The app shows where the code went: the registered phone, all but its last four digits hidden.
    const sentTo = `+81${'•'.repeat(who.phone.length - 7)}${who.phone.slice(-4)}`;
    expect(login.body).toEqual({ mfaRequired: true, challengeId: expect.stringMatching(/^chl_/), method: 'sms', sentTo });
    const code = await c.latestCode(who.phone);
    const verified = await c.verify(login.body.challengeId, code);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^rt_/), expiresIn: 900 });
    expect((await c.verify(login.body.challengeId, code)).body.code).toBe('mfa_required');

    const mails = await c.messages(who.email);
    expect(mails[0].subject).toBe('New sign-in to your account');
    const account = await h.get('/v1/account', { token: verified.body.accessToken });
    expect(account.body).toMatchObject({ email: who.email, phone: who.phone, totpEnabled: false });

    const again = await c.login(who);
    expect(again.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
  });

  test("the new sign-in notice names the device's browser and system, never the User-Agent's own words", async () => {
    const c = await customers();
    const who = newIdentity();
    await c.register(who);
    const signInAs = async (userAgent: string) => {
      const headers = { 'x-publishable-key': c.sandbox.publishableKey, 'user-agent': userAgent };
      const body = { email: who.email, password: who.password, deviceId: newIdentity().deviceId };
      const login = await h.post('/v1/auth/login', body, { headers });
      const code = await c.latestCode(who.phone);
      expect((await h.post('/v1/auth/mfa/verify', { challengeId: login.body.challengeId, code }, { headers })).status).toBe(200);
      return [(await c.messages(who.email))[0].body, (await c.messages(who.phone))[0].body];
    };
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
    for (const notice of await signInAs(iphone)) expect(notice).toContain('(Safari on iOS)');
    // An agent the caller wrote: none of its text reaches the customer's mailbox or phone.
    for (const notice of await signInAs('Call-0120-000-000-to-keep-your-account/1.0')) {
      expect(notice).toMatch(/new (sign-in|device)/);
      expect(notice).not.toContain('0120');
    }
  });

  test('a wrong password, a wrong code, five tries and an expired code are all refused', async () => {
    const c = await customers();
    const who = newIdentity();
    await c.register(who);
    expect((await c.login({ ...who, password: 'not-the-password' })).status).toBe(401);

    const login = await c.login(who);
    const code = await c.latestCode(who.phone);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const reply = await c.verify(login.body.challengeId, wrong);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ code: 'unauthenticated', attemptsRemaining: 5 - attempt });
    }
    expect((await c.verify(login.body.challengeId, code)).body.code).toBe('mfa_required');

    const second = await c.login(who);
    const fresh = await c.latestCode(who.phone);
    await h.post('/v1/sandbox/clock/advance', { seconds: 301 }, { token: c.sandbox.secretKey });
    expect((await c.verify(second.body.challengeId, fresh)).body.code).toBe('mfa_required');
  });

  test('with TOTP enrolled, the challenge is answered from the authenticator app and no SMS is sent', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard();
    const enroll = await h.post('/v1/auth/totp', undefined, { token: tokens.accessToken });
    expect(enroll.status).toBe(201);
    const secret = enroll.body.secret;
    expect(enroll.body.otpauthUrl).toContain('otpauth://totp/');
    const confirm = await h.post('/v1/auth/totp/confirm', { code: await generate({ secret }) }, { token: tokens.accessToken });
    expect(confirm.body.totpEnabled).toBe(true);
    const stored = await h.db.rows<{ totp_secret: string }>(`SELECT totp_secret FROM identity_users WHERE sandbox_id = $1 AND email = $2`, [
      c.sandbox.id,
      who.email,
    ]);
    expect(stored[0].totp_secret).not.toContain(secret);

    const smsBefore = (await c.messages(who.phone)).length;
    const login = await c.login({ ...who, deviceId: newIdentity().deviceId });
    expect(login.body).toEqual({ mfaRequired: true, challengeId: expect.stringMatching(/^chl_/), method: 'totp' });
    expect((await c.messages(who.phone)).length).toBe(smsBefore);
    const verified = await c.verify(login.body.challengeId, await generate({ secret }));
    expect(verified.status).toBe(200);
    expect(verified.body.accessToken).toEqual(expect.any(String));
  });
});

describe('sessions', () => {
  test('refresh tokens rotate; a reused one revokes the whole family', async () => {
    const c = await customers();
    const { tokens } = await c.onboard();
    const first = await c.refresh(tokens.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
    expect((await h.get('/v1/account', { token: first.body.accessToken })).status).toBe(200);

    const reused = await c.refresh(tokens.refreshToken);
    expect(reused.status).toBe(401);
    expect((await c.refresh(first.body.refreshToken)).status).toBe(401);
    expect((await h.get('/v1/account', { token: first.body.accessToken })).status).toBe(401);
    expect((await h.get('/v1/account', { token: tokens.accessToken })).status).toBe(401);
  });

  test('logout ends the session; customers list and end sessions and forget devices', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard();
    const laptop = { ...who, deviceId: newIdentity().deviceId };
    const second = await c.signIn(laptop);

    const sessions = await h.get('/v1/auth/sessions', { token: tokens.accessToken });
    expect(sessions.body.data).toHaveLength(2);
    expect(sessions.body.data.filter((s: any) => s.current)).toHaveLength(1);
    const other = sessions.body.data.find((s: any) => !s.current);
    expect((await h.request('DELETE', `/v1/auth/sessions/${other.id}`, undefined, { token: tokens.accessToken })).status).toBe(204);
    expect((await h.get('/v1/account', { token: second.accessToken })).status).toBe(401);

    const devices = await h.get('/v1/auth/devices', { token: tokens.accessToken });
    expect(devices.body.data).toHaveLength(2);
    const laptopDevice = devices.body.data.find((d: any) => d.id === other.deviceId);
    expect((await h.request('DELETE', `/v1/auth/devices/${laptopDevice.id}`, undefined, { token: tokens.accessToken })).status).toBe(204);
    expect((await c.login(laptop)).body.mfaRequired).toBe(true);

    expect((await h.post('/v1/auth/logout', undefined, { token: tokens.accessToken })).status).toBe(204);
    expect((await h.get('/v1/account', { token: tokens.accessToken })).status).toBe(401);
  });

  test('a password change ends every session, untrusts every other device and notifies by e-mail and SMS', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard();
    const laptop = { ...who, deviceId: newIdentity().deviceId };
    await c.signIn(laptop); // the laptop passes the second factor: trusted
    expect((await c.login(laptop)).body.accessToken).toEqual(expect.any(String));
    const reply = await h.post(
      '/v1/auth/password',
      { currentPassword: who.password, newPassword: 'a-brand-new-passphrase' },
      { token: tokens.accessToken },
    );
    expect(reply.status).toBe(204);
    expect((await h.get('/v1/account', { token: tokens.accessToken })).status).toBe(401);
    expect((await c.messages(who.email))[0].subject).toBe('Your password was changed');
    expect((await c.messages(who.email))[0].body).toContain('your other devices need a code at their next sign-in');
    expect((await c.messages(who.phone))[0].body).toMatch(/password was changed/);
    expect((await c.login(who)).status).toBe(401);
    const changed = { password: 'a-brand-new-passphrase' };
    // The phone that made the change stays trusted; the laptop must pass the second factor again.
    expect((await c.login({ ...who, ...changed })).body.accessToken).toEqual(expect.any(String));
    expect((await c.login({ ...laptop, ...changed })).body.mfaRequired).toBe(true);
  });

  test('a password change needs a fresh second factor, and wrong current passwords count as failed sign-ins', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const tokens = await c.signIn(who); // trusted device: no factor this time
    const change = (currentPassword: string) =>
      h.post('/v1/auth/password', { currentPassword, newPassword: 'a-brand-new-passphrase' }, { token: tokens.accessToken });
    const refused = await change(who.password);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('step_up_required');
    expect((await c.verify(refused.body.challengeId, await c.latestCode(who.phone), tokens.accessToken)).status).toBe(200);
    for (let i = 0; i < THROTTLE.accountFailures; i++) expect((await change(`wrong-guess-${i}`)).body.code).toBe('invalid_request');
    // The account is locked now: the right password is not even checked, and strangers cannot sign in either.
    const locked = await change(who.password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('rate_limited');
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId }, '192.0.2.77')).status).toBe(429);
    // The owner's trusted phone still signs in.
    expect((await c.login(who, '192.0.2.78')).status).toBe(200);
  });
});

describe('step-up', () => {
  test('a sensitive call without a fresh second factor answers step_up_required; after the code it goes through', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const tokens = await c.signIn(who); // trusted device: no factor this time
    const change = () => h.post('/v1/account/phone', { phone: '+819099990000' }, { token: tokens.accessToken });

    const refused = await change();
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'step_up_required',
      challengeId: expect.stringMatching(/^chl_/),
      method: 'sms',
      sentTo: `+81${'•'.repeat(who.phone.length - 7)}${who.phone.slice(-4)}`,
    });
    expect(refused.body.detail).toContain(`sent by SMS to +81`);
    const verified = await c.verify(refused.body.challengeId, await c.latestCode(who.phone), tokens.accessToken);
    expect(verified.status).toBe(200);
    expect(Date.parse(verified.body.steppedUpUntil)).toBeGreaterThan(Date.now() + 9 * 60_000);

    const asked = await change();
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ challengeId: expect.stringMatching(/^chl_/), method: 'sms', sentTo: '+81••••••0000' });

    await h.post('/v1/sandbox/clock/advance', { seconds: 601 }, { token: c.sandbox.secretKey });
    const stale = await h.post('/v1/account/email', { email: 'new-address@example.test' }, { token: tokens.accessToken });
    expect(stale.body.code).toBe('step_up_required');
  });

  test('a new phone number changes nothing until the code sent to it is entered; wrong codes are refused and counted', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard(); // just passed the second factor: stepped up
    const newPhone = '+819088887777';
    const account = () => h.get('/v1/account', { token: tokens.accessToken });
    const confirm = (challengeId: string, code: string, token = tokens.accessToken) =>
      h.post('/v1/account/phone/confirm', { challengeId, code }, { token });

    const asked = await h.post('/v1/account/phone', { phone: newPhone }, { token: tokens.accessToken });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ challengeId: expect.stringMatching(/^chl_/), method: 'sms', sentTo: '+81••••••7777' });
    // The code went to the new number only; the account still has the old one.
    const code = await c.latestCode(newPhone);
    expect((await c.messages(who.phone)).some((m) => m.body.includes(code))).toBe(false);
    expect((await account()).body.phone).toBe(who.phone);

    // A wrong code: refused, counted on the challenge and in the account's wrong-code limit; the phone stays.
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await confirm(asked.body.challengeId, wrong);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'unauthenticated', attemptsRemaining: 4 });
    const failures = await h.get('/v1/events?type=auth.login_failed', { token: c.sandbox.secretKey });
    expect(failures.body.data[0].data).toMatchObject({ reason: 'bad_code', userId: expect.any(String) });
    expect((await account()).body.phone).toBe(who.phone);
    // The code answers nothing else: not as a step-up, not from another session of the customer.
    expect((await c.verify(asked.body.challengeId, code, tokens.accessToken)).body.code).toBe('mfa_required');
    const elsewhere = await c.signIn(who);
    expect((await confirm(asked.body.challengeId, code, elsewhere.accessToken)).body.code).toBe('mfa_required');

    const confirmed = await confirm(asked.body.challengeId, code);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.phone).toBe(newPhone);
    expect((await account()).body.phone).toBe(newPhone);
    expect((await c.messages(who.phone))[0].body).toMatch(/now \+819088887777/);
    expect((await c.messages(newPhone))[0].body).toMatch(/now \+819088887777/);
    // Used up: the same code again changes nothing.
    expect((await confirm(asked.body.challengeId, code)).body.code).toBe('mfa_required');
    // Codes now go to the new number.
    const login = await c.login({ ...who, deviceId: newIdentity().deviceId });
    expect(login.body.sentTo).toBe('+81••••••7777');
  });

  test('wrong phone-change codes count toward the account wrong-code lock, as other codes do', async () => {
    const c = await customers();
    const { tokens } = await c.onboard();
    const ask = () => h.post('/v1/account/phone', { phone: '+819066665555' }, { token: tokens.accessToken });
    let refused = 0;
    let last;
    // Two challenges, five tries each: the tenth wrong code reaches the lock.
    for (let round = 0; round < 2; round++) {
      const { challengeId } = (await ask()).body;
      const code = await c.latestCode('+819066665555');
      for (let i = 0; i < 5; i++) {
        last = await h.post(
          '/v1/account/phone/confirm',
          { challengeId, code: code === '999999' ? '999998' : '999999' },
          { token: tokens.accessToken },
        );
        if (last.status === 401) refused++;
      }
    }
    expect(refused).toBe(THROTTLE.codeFailures);
    const { challengeId } = (await ask()).body;
    const locked = await h.post(
      '/v1/account/phone/confirm',
      { challengeId, code: await c.latestCode('+819066665555') },
      { token: tokens.accessToken },
    );
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toEqual(expect.any(String));
    expect((await h.get('/v1/account', { token: tokens.accessToken })).body.phone).not.toBe('+819066665555');
  });

  test('a step-up challenge belongs to the session that asked for it', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const a = await c.signIn(who);
    const b = await c.signIn(who);
    const refused = await h.post('/v1/account/email', { email: 'other@example.test' }, { token: a.accessToken });
    const code = await c.latestCode(who.phone);
    expect((await c.verify(refused.body.challengeId, code, b.accessToken)).body.code).toBe('mfa_required');
    expect((await c.verify(refused.body.challengeId, code)).body.code).toBe('mfa_required');
  });
});

describe('legacy-2019', () => {
  test('a password alone signs in on any device; the new device silently ends the old sessions', async () => {
    const c = await customers('legacy-2019');
    const who = newIdentity();
    const registered = await c.register(who);
    expect(registered.headers.get('sandbox-security-profile')).toBe('legacy-2019');
    const owner = await c.login(who);
    expect(owner.body.accessToken).toEqual(expect.any(String));
    const mailsBefore = await c.messages(who.email);

    const intruder = await c.login({ ...who, deviceId: newIdentity().deviceId });
    expect(intruder.body.accessToken).toEqual(expect.any(String));
    expect((await h.get('/v1/account', { token: owner.body.accessToken })).status).toBe(401);
    expect((await h.get('/v1/account', { token: intruder.body.accessToken })).status).toBe(200);
    expect(await c.messages(who.email)).toEqual(mailsBefore);
    expect(await c.messages(who.phone)).toEqual([]);
    const account = await h.get('/v1/account', { token: intruder.body.accessToken });
    expect(account.body.birthday).toBe('2019-01-01');
  });
});
