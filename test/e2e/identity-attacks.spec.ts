import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, jest, test } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { generate } from 'otplib';
import { Customers, newIdentity } from '../support/customers.js';
import { ThrottleCounters } from '#core';
import { PasswordHasher, THROTTLE } from '#identity';
import { useHarness, type Reply } from '../support/harness.js';

const h = useHarness();

async function customers(profile?: 'hardened' | 'legacy-2019'): Promise<Customers> {
  return new Customers(h, await h.createSandbox(profile));
}

/** What an observer can compare between two answers: status, body keys and non-id values. */
function shape(reply: Reply): unknown {
  const body = reply.body && typeof reply.body === 'object' ? reply.body : {};
  return {
    status: reply.status,
    keys: Object.keys(body).sort(),
    values: Object.fromEntries(Object.entries(body).filter(([key]) => !/id$/i.test(key))),
  };
}

/** How many replies had each status. */
function statusCounts(replies: Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const reply of replies) counts[reply.status] = (counts[reply.status] ?? 0) + 1;
  return counts;
}

/** The sandbox's failed sign-ins by reason: `bad_credentials` ones had their password checked, `throttled` ones did not. */
async function loginFailures(c: Customers): Promise<Record<string, number>> {
  const rows = await h.db.rows<{ reason: string; n: string }>(
    `SELECT data->>'reason' AS reason, count(*) AS n FROM outbox_events WHERE sandbox_id = $1 AND type = 'auth.login_failed' GROUP BY 1`,
    [c.sandbox.id],
  );
  return Object.fromEntries(rows.map((row) => [row.reason, Number(row.n)]));
}

describe('no account enumeration', () => {
  test('login, reset and registration answer alike for existing and unknown accounts', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const stranger = newIdentity();

    expect(shape(await c.login({ ...who, password: 'wrong-password-1' }))).toEqual(
      shape(await c.login({ ...stranger, password: 'wrong-password-1' })),
    );
    expect(shape(await c.requestReset({ email: who.email }))).toEqual(shape(await c.requestReset({ email: stranger.email })));
    expect(shape(await c.register({ ...who, phone: '+819011112222' }))).toEqual(shape(await c.register(stranger)));
  });

  test('the account lock looks the same for unknown e-mails', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const stranger = newIdentity();
    const hammer = async (email: string) => {
      const replies = [];
      for (let i = 0; i < 11; i++)
        replies.push(await c.login({ email, password: `wrong-${i}-password`, deviceId: stranger.deviceId }, `198.51.${i}.7`));
      return replies.map((r) => r.status);
    };
    expect(await hammer(who.email)).toEqual(await hammer(stranger.email));
  });
});

describe('changing the e-mail address', () => {
  test('answers alike whether or not the address is taken; only the new mailbox learns which, and only who asked can confirm', async () => {
    const c = await customers();
    const alice = await c.onboard();
    const bob = await c.onboard();
    const fresh = newIdentity().email;
    const change = (email: string) => h.post('/v1/account/email', { email }, { token: alice.tokens.accessToken });

    const taken = await change(bob.who.email);
    const free = await change(fresh);
    expect(taken.status).toBe(202);
    expect(shape(taken)).toEqual(shape(free));
    expect((await h.get('/v1/account', { token: alice.tokens.accessToken })).body.email).toBe(alice.who.email);
    expect((await c.messages(bob.who.email))[0].body).toMatch(/already belongs to one, so nothing was changed/);
    expect((await c.messages(bob.who.email))[0].body).not.toMatch(/token=/);

    const token = (await c.messages(fresh))[0].body.match(/token=([0-9A-Za-z]+)/)![1];
    const confirm = (tokens: { accessToken: string }) => h.post('/v1/account/email/confirm', { token }, { token: tokens.accessToken });
    expect((await confirm(bob.tokens)).status).toBe(400);
    const confirmed = await confirm(alice.tokens);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.email).toBe(fresh);
    expect((await c.messages(alice.who.email))[0].subject).toBe('Your e-mail address was changed');
    expect((await confirm(alice.tokens)).status).toBe(400);
    expect((await c.login({ ...alice.who, email: fresh })).status).toBe(200);
  });
  test('an address another account takes while the change is being confirmed: the customer is told, never a 500', async () => {
    const c = await customers();
    const [alice, bob] = [await c.onboard(), await c.onboard()];
    const contested = newIdentity().email;
    expect((await h.post('/v1/account/email', { email: contested }, { token: alice.tokens.accessToken })).status).toBe(202);
    const token = (await c.messages(contested))[0].body.match(/token=([0-9A-Za-z]+)/)![1];
    let confirming: Promise<Reply> | undefined;
    // Bob's account takes the address in a transaction still open while Alice confirms: her write waits on the index, then loses.
    await h.db.transaction(async (tx) => {
      await tx.rows(`UPDATE identity_users SET email = $2 WHERE id = $1`, [bob.userId, contested]);
      confirming = h.post('/v1/account/email/confirm', { token }, { token: alice.tokens.accessToken });
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    const reply = await confirming!;
    expect({ status: reply.status, errors: reply.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'token', message: expect.stringContaining('another account') }],
    });
    expect((await h.get('/v1/account', { token: alice.tokens.accessToken })).body.email).toBe(alice.who.email);
  });
});

describe('password reset abuse', () => {
  test('the link goes only to the registered address, built from configuration, whatever the Host header or sendTo say', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const reply = await c.requestReset(
      { email: who.email, sendTo: 'attacker@evil.test', birthday: '2019-01-01', phone: who.phone },
      { host: 'evil.test', 'x-forwarded-host': 'evil.test' },
    );
    expect(reply.status).toBe(202);
    expect(await c.messages('attacker@evil.test')).toEqual([]);
    const mail = (await c.messages(who.email)).find((m) => m.subject === 'Reset your password')!;
    expect(mail.body).not.toContain('evil.test');
    expect(mail.body).toMatch(/https?:\/\/localhost:\d+\/reset-password\?token=/);
  });

  test('a token works once, expires after 30 minutes of sandbox time, and resets only its own account', async () => {
    const c = await customers();
    const alice = await c.onboard();
    const bob = await c.onboard();
    await c.requestReset({ email: alice.who.email });
    const token = await c.resetToken(alice.who.email);
    expect((await c.confirmReset(token, 'alice-new-passphrase-1')).status).toBe(204);
    const replay = await c.confirmReset(token, 'alice-new-passphrase-2');
    expect(replay.status).toBe(400);
    expect(replay.body.errors[0].field).toBe('token');
    expect((await c.login({ ...bob.who })).status).toBe(200);
    expect((await c.login({ ...alice.who, password: 'alice-new-passphrase-1' })).status).toBe(200);

    await c.requestReset({ email: bob.who.email });
    const late = await c.resetToken(bob.who.email);
    await h.post('/v1/sandbox/clock/advance', { seconds: 30 * 60 + 1 }, { token: c.sandbox.secretKey });
    expect((await c.confirmReset(late, 'bob-new-passphrase-1')).status).toBe(400);
    expect((await c.login(bob.who)).status).toBe(200);
  });

  test('a reset ends every session, never signs in, and the next sign-in needs the second factor even on the old phone', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard();
    expect((await c.login(who)).body.accessToken).toEqual(expect.any(String));
    await c.requestReset({ email: who.email });
    const confirmed = await c.confirmReset(await c.resetToken(who.email), 'after-reset-passphrase');
    expect(confirmed.status).toBe(204);
    expect(confirmed.text).toBe('');
    expect((await h.get('/v1/account', { token: tokens.accessToken })).status).toBe(401);
    expect((await c.messages(who.email))[0].subject).toBe('Your password was reset');
    expect((await c.messages(who.phone))[0].body).toMatch(/password was reset/);
    const next = await c.login({ ...who, password: 'after-reset-passphrase' });
    expect(next.body).toEqual({ mfaRequired: true, challengeId: expect.any(String), method: 'sms', sentTo: expect.any(String) });
  });

  test('a guessed token is refused before any password is hashed, so guessing cannot busy the hashing threads', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const hasher = h.api.get(PasswordHasher, { strict: false });
    const hashing = jest.spyOn(hasher, 'hash');
    try {
      for (const token of ['guessed-token', 'x'.repeat(43)])
        expect((await c.confirmReset(token, 'a-guessed-new-passphrase')).status).toBe(400);
      expect(hashing).not.toHaveBeenCalled();
      await c.requestReset({ email: who.email });
      expect((await c.confirmReset(await c.resetToken(who.email), 'the-real-new-passphrase')).status).toBe(204);
      expect(hashing).toHaveBeenCalledTimes(1);
    } finally {
      hashing.mockRestore();
    }
  });

  test('200 parallel guessed tokens from one address: none is hashed, twenty are looked up, the rest refused; the owner still resets', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    await c.requestReset({ email: who.email });
    const hasher = h.api.get(PasswordHasher, { strict: false });
    const runs = hasher.runs;
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => c.confirmReset(`guessed-token-${i}`, 'a-guessed-new-passphrase', undefined, '203.0.113.160')),
    );
    expect(statusCounts(replies)).toEqual({ 400: THROTTLE.resetConfirmFailuresPerIp, 429: 200 - THROTTLE.resetConfirmFailuresPerIp });
    expect(hasher.runs).toBe(runs);
    const refused = replies.find((reply) => reply.status === 429)!;
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(59 * 60);
    // Even the real token is refused from that address for the hour; from the owner's own address it resets.
    const token = await c.resetToken(who.email);
    expect((await c.confirmReset(token, 'the-real-new-passphrase', undefined, '203.0.113.160')).status).toBe(429);
    expect((await c.confirmReset(token, 'the-real-new-passphrase', undefined, '192.0.2.160')).status).toBe(204);
    expect(hasher.runs).toBe(runs + 1);
  });

  test('200 parallel confirmations of one real token, from 200 addresses: at most five hash, one resets', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    await c.requestReset({ email: who.email });
    const token = await c.resetToken(who.email);
    const hasher = h.api.get(PasswordHasher, { strict: false });
    const runs = hasher.runs;
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => c.confirmReset(token, `raced-new-passphrase-${i}`, undefined, `10.${i}.2.1`)),
    );
    const counts = statusCounts(replies);
    // One resets; the others are refused: the token used up (400), or its tries spent (429) before any hash.
    expect(counts).toEqual({ 204: 1, 429: expect.any(Number), ...(counts[400] ? { 400: counts[400] } : {}) });
    expect(hasher.runs - runs).toBeLessThanOrEqual(THROTTLE.resetConfirmsPerToken);
  });

  test('legacy-2019 mails the link to any address when birthday and phone match (7pay)', async () => {
    const c = await customers('legacy-2019');
    const who = newIdentity();
    await c.register(who);
    await c.requestReset({ email: who.email, birthday: '2019-01-01', phone: '+819000000000', sendTo: 'attacker@evil.test' });
    expect(await c.messages('attacker@evil.test')).toEqual([]);
    await c.requestReset({ email: who.email, birthday: '2019-01-01', phone: who.phone, sendTo: 'attacker@evil.test' });
    const token = await c.resetToken('attacker@evil.test');
    expect((await c.confirmReset(token, 'stolen-account-passphrase')).status).toBe(204);
    const takeover = await c.login({ ...who, password: 'stolen-account-passphrase', deviceId: newIdentity().deviceId });
    expect(takeover.body.accessToken).toEqual(expect.any(String));
  });
});

describe('the hashing threads are shared fairly', () => {
  test("a legacy-2019 sandbox flooding them (bad confirms of a real token, wrong passwords) keeps another sandbox's sign-in fast", async () => {
    const legacy = await customers('legacy-2019');
    const victim = newIdentity();
    await legacy.register(victim);
    await legacy.requestReset({ email: victim.email, birthday: '2019-01-01', phone: victim.phone });
    const token = await legacy.resetToken(victim.email);
    const other = await customers();
    const { who } = await other.onboard();
    const hasher = h.api.get(PasswordHasher, { strict: false });
    const signIn = async () => {
      const started = performance.now();
      expect((await other.login(who)).body.accessToken).toEqual(expect.any(String));
      return performance.now() - started;
    };
    await signIn();
    const runs = hasher.runs;

    const floodStarted = performance.now();
    const flood = Promise.all([
      ...Array.from({ length: 50 }, (_, i) => legacy.confirmReset(token, `flooded-passphrase-${i}`, undefined, `10.9.${i}.1`)),
      ...Array.from({ length: 150 }, (_, i) => legacy.login({ ...victim, password: `wrong-password-${i}` }, `10.8.${i}.1`)),
    ]).then((replies) => ({ replies, ms: performance.now() - floodStarted }));
    // Once the flood's requests are waiting for the threads, the other sandbox signs in, five times over.
    while (hasher.runs < runs + 8) await new Promise((resolve) => setTimeout(resolve, 5));
    const during: number[] = [];
    for (let i = 0; i < 5; i++) during.push(await signIn());
    const { replies, ms } = await flood;

    // The flood was real: legacy-2019 throttles nothing, so each wrong password hashed or waited for its turn.
    expect(hasher.runs - runs).toBeGreaterThan(100);
    expect(Object.keys(statusCounts(replies)).every((status) => ['204', '400', '401', '503'].includes(status))).toBe(true);
    // Each sign-in took a hashing thread the flood could not hold, and stayed well within the flood's own length
    // (queued behind the flood, it would take about all of it). Relative, not in seconds: on a loaded 2-core
    // machine the flood itself runs slower, and so does every sign-in.
    expect(Math.max(...during)).toBeLessThan(ms / 2);
  });
});

describe('second-factor challenges cannot be replayed or outlive the account', () => {
  test('a TOTP code answers one challenge only, even two at the same moment', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard();
    const { secret } = (await h.post('/v1/auth/totp', undefined, { token: tokens.accessToken })).body;
    expect((await h.post('/v1/auth/totp/confirm', { code: await generate({ secret }) }, { token: tokens.accessToken })).status).toBe(200);
    const challenge = async () => (await c.login({ ...who, deviceId: newIdentity().deviceId })).body.challengeId as string;
    const [first, second, third] = [await challenge(), await challenge(), await challenge()];

    const code = await generate({ secret });
    const replies = await Promise.all([c.verify(first, code), c.verify(second, code)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(replies.find((r) => r.status === 401)?.body.code).toBe('unauthenticated');
    expect((await c.verify(third, code)).status).toBe(401);
  });

  test('a sign-in challenge issued before the membership was closed opens no session after it', async () => {
    const c = await customers();
    const { who, userId, tokens } = await c.onboard();
    const login = await c.login({ ...who, deviceId: newIdentity().deviceId });
    const code = await c.latestCode(who.phone);
    expect((await h.request('DELETE', '/v1/account', undefined, { token: tokens.accessToken })).status).toBe(204);

    const late = await c.verify(login.body.challengeId, code);
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 401, code: 'mfa_required' });
    const open = await h.db.rows(`SELECT id FROM identity_sessions WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    expect(open).toEqual([]);
  });
});

describe('forged access tokens are refused', () => {
  test('alg none, HS/RS confusion, a guessed key, expiry, another sandbox, a tampered claim and a pre-reset token', async () => {
    const c = await customers();
    const { who, tokens } = await c.onboard();
    const other = await customers();
    const { tokens: otherTokens } = await other.onboard();
    const payload = jwt.decode(tokens.accessToken) as Record<string, unknown>;
    const account = (token: string) => h.get('/v1/account', { token });
    expect((await account(tokens.accessToken)).status).toBe(200);

    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = jwt.sign(payload, privateKey, { algorithm: 'RS256' });
    const guessed = jwt.sign(payload, 'secret', { algorithm: 'HS256' });
    const [head, , signature] = tokens.accessToken.split('.');
    const otherPayload = jwt.decode(otherTokens.accessToken) as Record<string, unknown>;
    const crossed = `${head}.${Buffer.from(JSON.stringify({ ...payload, sbx: otherPayload.sbx, sid: otherPayload.sid, sub: otherPayload.sub })).toString('base64url')}.${signature}`;
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...payload, exp: (payload.exp as number) + 86_400 })).toString('base64url')}.${signature}`;
    for (const forged of [none, rs256, guessed, crossed, tampered]) {
      const reply = await account(forged);
      expect(reply.status).toBe(401);
      expect(reply.body.code).toBe('unauthenticated');
    }

    await h.post('/v1/sandbox/clock/advance', { seconds: 15 * 60 + 1 }, { token: c.sandbox.secretKey });
    expect((await account(tokens.accessToken)).status).toBe(401);
    const fresh = await c.refresh(tokens.refreshToken);
    expect((await account(fresh.body.accessToken)).status).toBe(200);

    await c.requestReset({ email: who.email });
    await c.confirmReset(await c.resetToken(who.email), 'post-reset-passphrase');
    expect((await account(fresh.body.accessToken)).status).toBe(401);
  });
});

describe('throttling on hardened', () => {
  test('ten failures lock the account for at most the lock window, yet the owner signs in from the trusted phone', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const attacker = { email: who.email, deviceId: newIdentity().deviceId };
    for (let i = 0; i < 10; i++) expect((await c.login({ ...attacker, password: `guess-${i}-passwd` }, `203.0.${i}.9`)).status).toBe(401);
    const locked = await c.login({ ...attacker, password: who.password }, '203.0.113.50');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const owner = await c.login(who, '192.0.2.10');
    expect(owner.status).toBe(200);
    expect(owner.body.accessToken).toEqual(expect.any(String));
  });

  test('a lock grows from 15 to 30 to 60 minutes, and never beyond', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const stranger = newIdentity().deviceId;
    // The lock counts real time: the test ends it instead of waiting it out.
    const accountCounter = h.api.get(ThrottleCounters).limiter('account', THROTTLE.accountFailures, 3600);
    const minutes: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 10; i++) {
        const failed = await c.login(
          { email: who.email, password: `guess-${round}-${i}-pw`, deviceId: stranger },
          `198.19.${round}.${i + 1}`,
        );
        expect(failed.status).toBe(401);
      }
      const locked = await c.login({ ...who, deviceId: stranger }, `198.19.${round}.200`);
      expect(locked.status).toBe(429);
      minutes.push(Math.ceil(Number(locked.headers.get('retry-after')) / 60));
      expect(await accountCounter.delete(`${c.sandbox.id}:${who.email}`)).toBe(true);
    }
    expect(minutes).toEqual([15, 30, 60, 60]);
  });

  test('an attacker who keeps failing cannot keep the owner out: the reset lifts the lock and the device that completed it gets in', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    let guesses = 0;
    const attack = async (times: number) => {
      for (let i = 0; i < times; i++, guesses++)
        await c.login({ email: who.email, password: `guess-${guesses}-passwd`, deviceId: newIdentity().deviceId }, `203.0.${guesses}.9`);
    };
    const newPhone = newIdentity().deviceId;
    await attack(10);
    expect((await c.login({ ...who, deviceId: newPhone }, '192.0.2.10')).status).toBe(429);

    await c.requestReset({ email: who.email });
    expect((await c.confirmReset(await c.resetToken(who.email), 'owner-reset-passphrase', newPhone)).status).toBe(204);
    const owner = { ...who, password: 'owner-reset-passphrase' };
    await attack(10);
    expect((await c.login({ ...owner, password: 'guess-again-passwd', deviceId: newIdentity().deviceId }, '203.0.99.9')).status).toBe(429);
    expect((await c.login({ ...owner, deviceId: newIdentity().deviceId }, '192.0.2.10')).status).toBe(429);

    const login = await c.login({ ...owner, deviceId: newPhone }, '192.0.2.10');
    expect(login.body).toEqual({ mfaRequired: true, challengeId: expect.any(String), method: 'sms', sentTo: expect.any(String) });
    const verified = await c.verify(login.body.challengeId, await c.latestCode(who.phone), undefined, '192.0.2.10');
    expect(verified.body.accessToken).toEqual(expect.any(String));
  });

  test('a completed reset lifts the locks strangers caused, and their challenges opened with the old password die', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    // A stuffer holding the leaked password burns the owner's codes: two challenges, five wrong codes each.
    const challenges: string[] = [];
    for (let k = 0; k < 3; k++)
      challenges.push((await c.login({ ...who, deviceId: newIdentity().deviceId }, '203.0.113.5')).body.challengeId);
    const thirdCode = await c.latestCode(who.phone);
    const wrong = thirdCode === '000000' ? '000001' : '000000';
    for (const challengeId of challenges.slice(0, 2))
      for (let i = 0; i < 5; i++) await c.verify(challengeId, wrong, undefined, '203.0.113.5');
    expect((await c.verify(challenges[2], wrong)).status).toBe(429);
    // Others lock the account with wrong passwords.
    for (let i = 0; i < 10; i++)
      await c.login({ ...who, password: `guess-${i}-passwd`, deviceId: newIdentity().deviceId }, `198.51.${i}.77`);
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId }, '192.0.2.20')).status).toBe(429);

    // The owner resets from a browser (no device id), then signs in on a new phone.
    await c.requestReset({ email: who.email });
    expect((await c.confirmReset(await c.resetToken(who.email), 'owner-fresh-passphrase')).status).toBe(204);
    expect((await c.verify(challenges[2], thirdCode)).body.code).toBe('mfa_required');
    const tokens = await c.signIn({ ...who, password: 'owner-fresh-passphrase', deviceId: newIdentity().deviceId }, '192.0.2.20');
    expect(tokens.accessToken).toEqual(expect.any(String));
  });

  test("one IP failing across many accounts is blocked, but not the owner's trusted phone behind it; other IPs are not", async () => {
    const c = await customers();
    const { who } = await c.onboard();
    for (let i = 0; i < 20; i++) await c.login({ ...newIdentity(), password: 'spray-password-1' }, '203.0.113.66');
    const blocked = await c.login({ ...who, deviceId: newIdentity().deviceId }, '203.0.113.66');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same carrier-grade NAT address: the owner's trusted phone is a factor the bot lacks.
    expect((await c.login(who, '203.0.113.66')).status).toBe(200);
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId }, '192.0.2.44')).body.mfaRequired).toBe(true);
  });

  test("the owner's trusted phone has a failure count of its own: ten wrong passwords there, and it waits", async () => {
    const c = await customers();
    const { who } = await c.onboard();
    for (let i = 0; i < THROTTLE.ownersDeviceFailures; i++)
      expect((await c.login({ ...who, password: `typo-${i}-passwd` })).status).toBe(401);
    expect((await c.login(who)).status).toBe(429);
    // Nobody else was locked out by it: the account takes a stranger's right password (and asks for the code).
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId })).body.mfaRequired).toBe(true);
  });

  test('a burst of 200 parallel wrong passwords at one account, from 200 networks: ten are checked, the rest refused, and the owner still gets in', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const attacker = { email: who.email, deviceId: newIdentity().deviceId };
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => c.login({ ...attacker, password: `burst-guess-${i}` }, `10.${i}.1.1`)),
    );
    expect(statusCounts(replies)).toEqual({ 401: THROTTLE.accountFailures, 429: 200 - THROTTLE.accountFailures });
    expect(await loginFailures(c)).toEqual({ bad_credentials: THROTTLE.accountFailures, throttled: 200 - THROTTLE.accountFailures });
    expect((await c.login({ ...attacker, password: who.password }, '203.0.113.51')).status).toBe(429);
    expect((await c.login(who, '192.0.2.11')).status).toBe(200);
  });

  test('a burst of 200 parallel wrong passwords from one IP, at 200 accounts: twenty are checked, then the IP is blocked', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => c.login({ ...newIdentity(), password: 'spray-password-3' }, '203.0.113.67')),
    );
    expect(statusCounts(replies)).toEqual({ 401: THROTTLE.ipFailures, 429: 200 - THROTTLE.ipFailures });
    expect(await loginFailures(c)).toEqual({ bad_credentials: THROTTLE.ipFailures, throttled: 200 - THROTTLE.ipFailures });
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId }, '203.0.113.67')).status).toBe(429);
    expect((await c.login(who, '203.0.113.67')).status).toBe(200);
    expect((await c.login(who, '192.0.2.45')).status).toBe(200);
  });

  test('failures spread over one IPv6 /48, each from a /56 of its own, are checked 240 times, then the whole /48 is blocked', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    const in48 = (i: number) => `2001:db8:77:${(i * 256).toString(16)}::1`;
    const replies = await Promise.all(
      Array.from({ length: 260 }, (_, i) => c.login({ ...newIdentity(), password: 'spray-password-6' }, in48(i % 256))),
    );
    expect(statusCounts(replies)).toEqual({ 401: THROTTLE.ipv6OrganisationFailures, 429: 260 - THROTTLE.ipv6OrganisationFailures });
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId }, '2001:db8:77:ff00::2')).status).toBe(429);
    expect((await c.login(who, '2001:db8:78::1')).status).toBe(200);
  });

  test('registrations are limited per address and per network, so a farm of addresses in one /24 shares its count', async () => {
    const c = await customers();
    const fromOneAddress = await Promise.all(Array.from({ length: 25 }, () => c.register(newIdentity(), {}, '203.0.113.200')));
    expect(statusCounts(fromOneAddress)).toEqual({ 201: THROTTLE.registrationsPerIpHour, 429: 25 - THROTTLE.registrationsPerIpHour });
    const farm = await Promise.all(Array.from({ length: 50 }, (_, i) => c.register(newIdentity(), {}, `203.0.113.${i + 1}`)));
    const left = THROTTLE.registrationsPerNetworkHour - THROTTLE.registrationsPerIpHour;
    expect(statusCounts(farm)).toEqual({ 201: left, 429: 50 - left });
    expect((await c.register(newIdentity(), {}, '203.0.114.1')).status).toBe(201);
  });

  test('failures spread over one /24, one each from 60 addresses, block the whole network for an hour; other networks are not', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    for (let i = 1; i <= 60; i++)
      expect((await c.login({ ...newIdentity(), password: 'spray-password-2' }, `203.0.113.${i}`)).status).toBe(401);
    const blocked = await c.login({ ...who, deviceId: newIdentity().deviceId }, '203.0.113.250');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(59 * 60);
    expect((await c.login(who, '203.0.113.250')).status).toBe(200);
    expect((await c.login({ ...who, deviceId: newIdentity().deviceId }, '203.0.114.250')).body.mfaRequired).toBe(true);
  });

  test('X-Forwarded-For from a trusted proxy names the client in security events', async () => {
    const c = await customers();
    await c.login({ ...newIdentity(), password: 'whatever-password' }, '203.0.113.77');
    const failed = await h.get('/v1/events?type=auth.login_failed', { token: c.sandbox.secretKey });
    expect(failed.body.data[0].data).toMatchObject({ ip: '203.0.113.77', reason: 'bad_credentials', userId: null });
  });

  test('a stuffing wave (many failures, high failure ratio) makes every sign-in pass the second factor', async () => {
    const c = await customers();
    const { who } = await c.onboard();
    expect((await c.login(who)).body.accessToken).toEqual(expect.any(String));
    for (let i = 0; i < 20; i++) await c.login({ ...newIdentity(), password: 'leaked-password-x' }, `198.18.${i}.1`);
    const during = await c.login(who);
    expect(during.body).toEqual({ mfaRequired: true, challengeId: expect.any(String), method: 'sms', sentTo: expect.any(String) });
  });

  test('legacy-2019 does not throttle', async () => {
    const c = await customers('legacy-2019');
    const who = newIdentity();
    await c.register(who);
    for (let i = 0; i < 25; i++) expect((await c.login({ ...who, password: `guess-${i}-passwd` }, '203.0.113.99')).status).toBe(401);
    expect((await c.login(who, '203.0.113.99')).status).toBe(200);
  });
});
