import { beforeAll, describe, expect, test } from '@jest/globals';
import { Customers, newIdentity } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';

const h = useHarness();
let sandbox: SandboxKeys;
let c: Customers;
let accessToken: string;

beforeAll(async () => {
  sandbox = await h.createSandbox();
  c = new Customers(h, sandbox);
  accessToken = (await c.onboard()).tokens.accessToken;
});

async function footprint(): Promise<unknown> {
  const [row] = await h.db.rows(
    `SELECT (SELECT count(*) FROM identity_users WHERE sandbox_id = $1) AS users,
            (SELECT count(*) FROM identity_sessions WHERE sandbox_id = $1) AS sessions,
            (SELECT count(*) FROM identity_challenges WHERE sandbox_id = $1) AS challenges,
            (SELECT count(*) FROM identity_reset_tokens WHERE sandbox_id = $1) AS resets,
            (SELECT count(*) FROM ledger_accounts WHERE sandbox_id = $1) AS accounts,
            (SELECT count(*) FROM sandbox_messages WHERE sandbox_id = $1) AS messages`,
    [sandbox.id],
  );
  return row;
}

const valid = newIdentity();
const cases: Array<{ name: string; path: string; body: Record<string, unknown>; field: string }> = [
  { name: 'a malformed e-mail', path: '/v1/auth/register', body: { ...valid, deviceId: undefined, email: 'not-an-email' }, field: 'email' },
  {
    name: 'an e-mail over 254 characters',
    path: '/v1/auth/register',
    body: { email: `${'a'.repeat(250)}@x.test`, password: valid.password, phone: valid.phone },
    field: 'email',
  },
  {
    name: 'a phone not in E.164',
    path: '/v1/auth/register',
    body: { email: valid.email, password: valid.password, phone: '090-1234-5678' },
    field: 'phone',
  },
  {
    name: 'a birthday in the future',
    path: '/v1/auth/register',
    body: { email: valid.email, password: valid.password, phone: valid.phone, birthday: '2999-01-01' },
    field: 'birthday',
  },
  {
    name: 'a birthday that does not exist',
    path: '/v1/auth/register',
    body: { email: valid.email, password: valid.password, phone: valid.phone, birthday: '2019-02-30' },
    field: 'birthday',
  },
  {
    name: 'a password that is not a string',
    path: '/v1/auth/register',
    body: { email: valid.email, password: 12345678, phone: valid.phone },
    field: 'password',
  },
  {
    name: 'a password of 7 characters',
    path: '/v1/auth/register',
    body: { email: valid.email, password: 'abcdefg', phone: valid.phone },
    field: 'password',
  },
  {
    name: 'an unknown registration field',
    path: '/v1/auth/register',
    body: { email: valid.email, password: valid.password, phone: valid.phone, role: 'admin' },
    field: 'role',
  },
  { name: 'a login without device id', path: '/v1/auth/login', body: { email: valid.email, password: valid.password }, field: 'deviceId' },
  {
    name: 'a guessable device id',
    path: '/v1/auth/login',
    body: { email: valid.email, password: valid.password, deviceId: 'phone1' },
    field: 'deviceId',
  },
  { name: 'a code that is not six digits', path: '/v1/auth/mfa/verify', body: { challengeId: 'chl_x', code: '12345' }, field: 'code' },
  { name: 'a refresh without token', path: '/v1/auth/refresh', body: {}, field: 'refreshToken' },
  { name: 'a reset for a malformed address', path: '/v1/auth/password-reset', body: { email: 'nobody' }, field: 'email' },
  {
    name: 'a reset confirmation with a weak password',
    path: '/v1/auth/password-reset/confirm',
    body: { token: 'x'.repeat(43), newPassword: 'qwerty123' },
    field: 'newPassword',
  },
];

describe('customer auth refuses bad input with 400, naming the field, and writes nothing', () => {
  test.each(cases)('$name', async ({ path, body, field }) => {
    const before = await footprint();
    const reply = await h.post(path, body, { headers: { 'x-publishable-key': sandbox.publishableKey } });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('invalid_request');
    expect(reply.body.errors.map((e: any) => e.field)).toContain(field);
    expect(await footprint()).toEqual(before);
  });
});

describe('credentials', () => {
  test('customer endpoints take the publishable key or a customer token, nothing else', async () => {
    expect((await h.post('/v1/auth/register', newIdentity(), { token: sandbox.secretKey })).status).toBe(403);
    expect((await h.get('/v1/account', { headers: { 'x-publishable-key': sandbox.publishableKey } })).status).toBe(401);
    expect((await h.get('/v1/account', { token: sandbox.secretKey })).status).toBe(403);
    expect((await h.get('/v1/sandbox/clock', { token: accessToken })).status).toBe(403);
    expect((await h.get('/v1/account', { token: accessToken })).status).toBe(200);
  });

  test("another sandbox's publishable key reaches none of this sandbox's accounts", async () => {
    const other = new Customers(h, await h.createSandbox());
    const { who } = await c.onboard();
    expect((await other.login(who)).status).toBe(401);
    expect((await other.requestReset({ email: who.email })).status).toBe(202);
    expect((await c.messages(who.email)).filter((m) => m.subject === 'Reset your password')).toEqual([]);
  });
});
