import { describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Customers, type CustomerIdentity, type Tokens, newIdentity } from '../support/customers.js';
import { useHarness, type Reply } from '../support/harness.js';

const h = useHarness();

/** Twenty attacker addresses, each in its own /24, as a botnet's overseas exits would be. */
const ATTACKER_IPS = Array.from({ length: 20 }, (_, i) => `185.${100 + i}.${i * 7}.${10 + i}`);

interface Wave {
  c: Customers;
  victims: Array<{ who: CustomerIdentity; tokens: Tokens }>;
  hammered: CustomerIdentity[];
  replies: Array<{ pair: { email: string; password: string }; valid: boolean; reply: Reply }>;
}

/**
 * 7pay's attack, replayed: 30 customers use the sandbox from their own phones;
 * a list of 300 leaked pairs (30 of them valid elsewhere and here, the rest
 * wrong passwords and strangers) is tried from 20 IPs on fresh devices.
 */
async function stuff(profile: 'hardened' | 'legacy-2019'): Promise<Wave> {
  const c = new Customers(h, await h.createSandbox(profile));
  const victims = [];
  for (let i = 0; i < 30; i++) {
    const onboarded = await c.onboard(newIdentity(), `10.20.${i}.5`);
    victims.push({ who: onboarded.who, tokens: onboarded.tokens });
  }
  const hammered = victims.slice(0, 2).map((v) => v.who);
  const pairs: Array<{ email: string; password: string; valid: boolean }> = [
    ...victims.map((v) => ({ email: v.who.email, password: v.who.password, valid: true })),
    ...hammered.flatMap((who) =>
      Array.from({ length: 12 }, (_, k) => ({ email: who.email, password: `${who.password}-${k}`, valid: false })),
    ),
    ...victims.slice(2).map((v) => ({ email: v.who.email, password: 'summer-2019-password', valid: false })),
    ...Array.from({ length: 218 }, (_, k) => ({ email: `leaked${k}@elsewhere.test`, password: `leaked-password-${k}`, valid: false })),
  ];
  expect(pairs).toHaveLength(300);
  // A fixed interleaving, so the valid pairs are spread through the wave.
  const order = pairs.map((_, i) => (i * 97) % pairs.length);
  const replies: Wave['replies'] = [];
  for (let batch = 0; batch < order.length; batch += 10) {
    await Promise.all(
      order.slice(batch, batch + 10).map(async (index, k) => {
        const pair = pairs[index];
        const reply = await c.login(
          { email: pair.email, password: pair.password, deviceId: randomUUID() },
          ATTACKER_IPS[(batch + k) % ATTACKER_IPS.length],
        );
        replies.push({ pair, valid: pair.valid, reply });
      }),
    );
  }
  return { c, victims, hammered, replies };
}

describe('a credential-stuffing wave (300 leaked pairs, 30 valid, 20 IPs)', () => {
  test('hardened: no session for the attacker, no owner signed out, no owner locked out beyond the lock window', async () => {
    const { c, victims, hammered, replies } = await stuff('hardened');

    const attackerSessions = replies.filter((r) => r.reply.status === 200 && r.reply.body.accessToken);
    expect(attackerSessions).toHaveLength(0);
    for (const r of replies.filter((x) => x.valid)) {
      expect({ status: r.reply.status, body: r.reply.body, ok: r.reply.status === 429 || r.reply.body.mfaRequired === true }).toMatchObject(
        { ok: true },
      );
    }
    expect(replies.every((r) => [200, 401, 429].includes(r.reply.status))).toBe(true);

    for (const v of victims) expect((await h.get('/v1/account', { token: v.tokens.accessToken })).status).toBe(200);

    // Owners still get in from their phones: during the wave with the SMS code they alone receive.
    for (const v of victims) {
      const tokens = await c.signIn(v.who, '10.99.0.1');
      expect(tokens.accessToken).toEqual(expect.any(String));
    }
    for (const who of hammered) {
      const fromNewPhone = await c.login({ ...who, deviceId: newIdentity().deviceId }, '10.99.0.2');
      expect(fromNewPhone.status).toBe(429);
      expect(Number(fromNewPhone.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    }

    const failures = await h.get('/v1/events?type=auth.login_failed&limit=100', { token: c.sandbox.secretKey });
    expect(failures.body.data.length).toBe(100);
    // Every failure is the attackers', but for the two owners refused on a new phone while their account was locked.
    expect(
      failures.body.data.every((e: any) => (e.data.ip === '10.99.0.2' ? e.data.reason === 'throttled' : ATTACKER_IPS.includes(e.data.ip))),
    ).toBe(true);
  });

  test('legacy-2019: every valid pair takes its account over, and the owners are signed out without a word', async () => {
    const { c, victims, replies } = await stuff('legacy-2019');

    const takeovers = replies.filter((r) => r.valid && r.reply.status === 200 && r.reply.body.accessToken);
    expect(takeovers).toHaveLength(30);
    expect(replies.filter((r) => !r.valid).every((r) => r.reply.status === 401)).toBe(true);
    for (const t of takeovers) expect((await h.get('/v1/account', { token: t.reply.body.accessToken })).body.email).toBe(t.pair.email);
    for (const v of victims) {
      expect((await h.get('/v1/account', { token: v.tokens.accessToken })).status).toBe(401);
      const told = [...(await c.messages(v.who.email)), ...(await c.messages(v.who.phone))];
      expect(told.filter((m) => /sign-in|signed in/i.test(`${m.subject} ${m.body}`))).toEqual([]);
    }
  });
});
