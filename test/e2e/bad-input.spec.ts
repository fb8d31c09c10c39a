import { beforeAll, describe, expect, test } from '@jest/globals';
import { Customers } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';
import { rowDigests } from '../support/sandbox-tables.js';

const h = useHarness();
let sandbox: SandboxKeys;
let wallet: string;
/** Objects of the sandbox under test that the calls taking no body act on, and the credentials to reach them. */
const the = { accessToken: '', sessionId: '', deviceId: '', cardId: '', storeKey: '', paymentId: '', endpointId: '' };

beforeAll(async () => {
  sandbox = await h.createSandbox();
  wallet = await h.createWallet(sandbox, 1_000);
  const customers = new Customers(h, sandbox);
  const customer = await customers.onboard();
  const asCustomer = { token: customer.tokens.accessToken };
  the.accessToken = customer.tokens.accessToken;
  await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 1_000 }, { token: sandbox.secretKey });
  the.cardId = await customers.addCard(customer.who, the.accessToken);
  the.sessionId = (await h.get('/v1/auth/sessions', asCustomer)).body.data[0].id;
  the.deviceId = (await h.get('/v1/auth/devices', asCustomer)).body.data[0].id;
  the.storeKey = (await h.post('/v1/stores', { name: 'Ginza' }, { token: sandbox.secretKey })).body.apiKey;
  const code = (await h.post('/v1/payment-codes', undefined, asCustomer)).body.code;
  the.paymentId = (await h.post('/v1/payments', { code, amount: 100, capture: false }, { token: the.storeKey })).body.id;
  const hook = { url: 'http://127.0.0.1:9/hook', events: ['service.password_reset_forced'] };
  the.endpointId = (await h.post('/v1/webhook-endpoints', hook, { token: sandbox.secretKey })).body.id;
  await h.drain();
});

/** Everything a refused request could have changed in the sandbox under test. */
async function footprint(): Promise<unknown> {
  const [counts] = await h.db.rows(
    `SELECT (SELECT count(*) FROM outbox_events WHERE sandbox_id = $1) AS events,
            (SELECT count(*) FROM ledger_transfers WHERE sandbox_id = $1) AS transfers,
            (SELECT count(*) FROM idempotency_keys WHERE sandbox_id = $1) AS keys,
            (SELECT sum(balance) FROM ledger_accounts WHERE sandbox_id = $1) AS balances,
            (SELECT clock_offset_ms FROM sandboxes WHERE id = $1) AS clock,
            (SELECT count(*) FROM sandboxes) AS sandboxes`,
    [sandbox.id],
  );
  return { counts, rows: await rowDigests(h.db, sandbox.id) };
}

async function sandboxesNamed(name: unknown): Promise<number> {
  const [row] = await h.db.rows<{ n: string }>(`SELECT count(*) AS n FROM sandboxes WHERE name = $1`, [String(name)]);
  return Number(row.n);
}

const oversized = JSON.stringify({ amount: 1, padding: 'x'.repeat(70 * 1024) });

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: () => string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** The credential to send: the sandbox's secret key unless named. */
  token?: () => string;
  status: number;
  code: string;
  /** The field the refusal names, when it must name one. */
  field?: string;
}

const fund = () => `/v1/sandbox/wallets/${wallet}/fund`;
const advance = () => '/v1/sandbox/clock/advance';
const post = (name: string, path: () => string, body: unknown, status = 400, code = 'invalid_request'): Case => ({
  name,
  method: 'POST',
  path,
  body,
  status,
  code,
});
const postRaw = (name: string, raw: string, status = 400, code = 'invalid_request', headers: Record<string, string> = {}): Case => ({
  name,
  method: 'POST',
  path: fund,
  raw,
  headers,
  status,
  code,
});
const get = (name: string, path: string, status = 400, code = 'invalid_request'): Case => ({
  name,
  method: 'GET',
  path: () => path,
  status,
  code,
});

const NUL = '\u0000';
/** Postgres stores no NUL in text: refused at the edge wherever it comes in, naming where. */
const nul = (name: string, method: Case['method'], path: string, body: unknown, field: string, token?: () => string): Case => ({
  name: `a NUL character in ${name}`,
  method,
  path: () => path.replace('{wallet}', wallet),
  body,
  token,
  status: 400,
  code: 'invalid_request',
  field,
});
/** A call that takes no body, sent one: refused, and nothing happens (no reset, no wallet, no void, no logout…). */
const unasked = (
  method: Case['method'],
  route: string,
  options: { id?: () => string; token?: () => string; body?: unknown } = {},
): Case => {
  const body = options.body ?? { everything: true };
  return {
    name: `${Array.isArray(body) ? 'a JSON array' : 'a field'} sent to ${method} ${route}, which takes no body`,
    method,
    path: () => route.replace(':id', options.id?.() ?? ''),
    body,
    token: options.token,
    status: 400,
    code: 'invalid_request',
    field: Array.isArray(body) ? 'body' : 'everything',
  };
};
const customer = () => the.accessToken;
const store = () => the.storeKey;
const hook = (fields: Record<string, unknown>) => ({ url: 'http://127.0.0.1:9/hook', events: ['wallet.funded'], ...fields });

const cases: Case[] = [
  postRaw('malformed JSON', '{"amount": 1'),
  postRaw('an empty JSON body', ''),
  postRaw('JSON null', 'null'),
  post('a JSON array', fund, [1]),
  post('a JSON string', fund, 'amount'),
  post('amount as a string', fund, { amount: '100' }),
  post('amount missing', fund, {}),
  post('amount null', fund, { amount: null }),
  post('a negative amount', fund, { amount: -100 }),
  post('a zero amount', fund, { amount: 0 }),
  post('a fractional amount', fund, { amount: 10.5 }),
  postRaw('an amount beyond safe integers', '{"amount": 9007199254740993}'),
  postRaw('an amount in exponent form beyond range', '{"amount": 1e21}'),
  post('amount as a boolean', fund, { amount: true }),
  post('an unknown field', fund, { amount: 100, currency: 'JPY' }),
  postRaw('a prototype-polluting field', '{"amount": 100, "__proto__": {"admin": true}}'),
  postRaw('an oversized body', oversized, 413, 'payload_too_large'),
  postRaw('a form-encoded body', 'amount=100', 415, 'unsupported_media_type', { 'content-type': 'application/x-www-form-urlencoded' }),
  postRaw('a text/plain body', '100', 415, 'unsupported_media_type', { 'content-type': 'text/plain' }),
  post('an unknown wallet', () => '/v1/sandbox/wallets/wal_nope/fund', { amount: 100 }, 404, 'not_found'),
  post('an over-long wallet id', () => `/v1/sandbox/wallets/${'w'.repeat(2_000)}/fund`, { amount: 100 }, 404, 'not_found'),
  post('a clock advance of zero', advance, { seconds: 0 }),
  post('a clock advance backwards', advance, { seconds: -60 }),
  post('a fractional clock advance', advance, { seconds: 1.5 }),
  post('a clock advance beyond ten years', advance, { seconds: 10 * 365 * 86_400 + 1 }),
  get('a list limit of zero', '/v1/events?limit=0'),
  get('a list limit that is not a number', '/v1/events?limit=ten'),
  get('a list limit too large', '/v1/events?limit=101'),
  get('a malformed cursor', "/v1/events?starting_after=' OR 1=1 --"),
  get('an unknown event type', '/v1/events?type=everything'),
  get('an unknown query parameter', '/v1/sandbox/messages?debug=1'),
  get('an over-long recipient', `/v1/sandbox/messages?to=${'a'.repeat(300)}`),
  get('an unknown route', '/v1/nothing-here', 404, 'not_found'),
  nul('a sandbox name', 'POST', '/v1/sandboxes', { name: `qa${NUL}run` }, 'name', () => h.adminToken),
  nul('an event id', 'GET', '/v1/events/%00', undefined, 'id'),
  nul('an event id to redeliver', 'POST', '/v1/events/evt_%00/redeliver', undefined, 'id'),
  nul('a message recipient', 'GET', '/v1/sandbox/messages?to=%00', undefined, 'to'),
  nul('an event type filter', 'GET', '/v1/events?type=wallet.funded%00', undefined, 'type'),
  nul('a wallet id to read', 'GET', '/v1/sandbox/wallets/wal_%00', undefined, 'walletId'),
  nul('a wallet id to fund', 'POST', '/v1/sandbox/wallets/wal_%00/fund', { amount: 100 }, 'walletId'),
  nul('a funded amount', 'POST', '/v1/sandbox/wallets/{wallet}/fund', { amount: NUL }, 'amount'),
  nul('a webhook url', 'POST', '/v1/webhook-endpoints', hook({ url: `http://127.0.0.1:9/${NUL}` }), 'url'),
  nul('a webhook description', 'POST', '/v1/webhook-endpoints', hook({ description: `ops${NUL}` }), 'description'),
  nul('an array in the body', 'POST', '/v1/webhook-endpoints', hook({ events: ['wallet.funded', `*${NUL}`] }), 'events.1'),
  nul(
    'an object in the body',
    'POST',
    '/v1/fraud/settings',
    { rules: { 'payment.velocity': { note: NUL } } },
    'rules.payment.velocity.note',
  ),
  nul('a field name', 'POST', '/v1/sandbox/wallets/{wallet}/fund', { amount: 100, [`x${NUL}`]: 1 }, 'body'),
  unasked('POST', '/v1/sandbox/reset'),
  unasked('POST', '/v1/sandbox/reset', { body: [true] }),
  unasked('POST', '/v1/sandbox/wallets'),
  unasked('POST', '/v1/webhook-endpoints/:id/disable', { id: () => the.endpointId }),
  unasked('POST', '/v1/webhook-endpoints/:id/enable', { id: () => the.endpointId }),
  unasked('DELETE', '/v1/webhook-endpoints/:id', { id: () => the.endpointId }),
  unasked('POST', '/v1/payout-runs'),
  unasked('POST', '/v1/payments/:id/void', { id: () => the.paymentId, token: store }),
  unasked('POST', '/v1/payment-codes', { token: customer }),
  unasked('DELETE', '/v1/cards/:id', { id: () => the.cardId, token: customer }),
  unasked('POST', '/v1/auth/totp', { token: customer }),
  unasked('DELETE', '/v1/auth/totp', { token: customer }),
  unasked('DELETE', '/v1/auth/sessions/:id', { id: () => the.sessionId, token: customer }),
  unasked('DELETE', '/v1/auth/devices/:id', { id: () => the.deviceId, token: customer }),
  unasked('POST', '/v1/auth/logout', { token: customer }),
  unasked('POST', '/v1/auth/step-up', { token: customer }),
  { ...post('a phone confirmation without a code', () => '/v1/account/phone/confirm', { challengeId: 'chl_nope' }), token: customer },
  {
    ...post('a sandbox whose step-up allowance is a string', () => '/v1/sandboxes', { name: 'x', stepUpAllowance: '5000' }),
    token: () => h.adminToken,
  },
  {
    ...post('a sandbox whose step-up allowance is negative', () => '/v1/sandboxes', { name: 'x', stepUpAllowance: -1 }),
    token: () => h.adminToken,
  },
  unasked('DELETE', '/v1/account', { token: customer }),
  get('an unknown alert subject', '/v1/fraud/alerts?subjectType=wallet'),
  post('a hold without a reason', () => '/v1/holds', { walletId: 'wal_nope' }),
  post('a hold with a score', () => `/v1/holds`, { walletId: 'wal_nope', reason: 'r', score: 99 }),
  post('a hold on an unknown wallet', () => '/v1/holds', { walletId: 'wal_nope', reason: 'reported' }, 404, 'not_found'),
  { ...post('an e-mail confirmation without a token', () => '/v1/account/email/confirm', {}), token: customer },
  { ...post('an e-mail confirmation with an unknown token', () => '/v1/account/email/confirm', { token: 'nope' }), token: customer },
  {
    ...post('an e-mail confirmation with an unknown field', () => '/v1/account/email/confirm', { token: 'x', email: 'a@b.jp' }),
    token: customer,
  },
];

describe('bad input gets a problem+json 4xx with a stable code and changes nothing', () => {
  test.each(cases)('$name', async ({ method, path, body, raw, status, code, headers, token, field }) => {
    const before = await footprint();
    const reply = await h.request(method, path(), body, { token: token?.() ?? sandbox.secretKey, raw, headers });
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({
      type: expect.stringContaining(code),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    });
    if (code === 'invalid_request') expect(reply.body.errors.length).toBeGreaterThan(0);
    if (field) expect(reply.body.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(await footprint()).toEqual(before);
  });

  test('a call that takes no body still takes none, or an empty object', async () => {
    for (const body of [undefined, {}]) {
      const reply = await h.post('/v1/sandbox/wallets', body, { token: sandbox.secretKey });
      expect(reply.status).toBe(201);
      expect(reply.body.id).toMatch(/^wal_/);
    }
  });

  test('a call whose fields are all optional takes no body at all, as an empty object', async () => {
    const own = await h.createSandbox();
    const secret = { token: own.secretKey };
    const customers = new Customers(h, own);
    const customer = await customers.onboard();
    await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 5_000 }, secret);
    const store = (await h.post('/v1/stores', { name: 'Umeda' }, secret)).body;
    const register = { token: store.apiKey };
    const code = (await h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken })).body.code;
    const authorized = (await h.post('/v1/payments', { code, amount: 1_200, capture: false }, register)).body;

    expect((await h.post(`/v1/payments/${authorized.id}/capture`, undefined, register)).body).toMatchObject({
      status: 'captured',
      amount: 1_200,
    });
    expect((await h.post(`/v1/payments/${authorized.id}/refunds`, undefined, register)).body).toMatchObject({ amount: 1_200 });
    expect((await h.post('/v1/store-codes', undefined, register)).status).toBe(201);
    const hold = (await h.post('/v1/holds', { walletId: customer.walletId, reason: 'reported' }, secret)).body;
    expect((await h.post(`/v1/holds/${hold.id}/release`, undefined, secret)).body).toMatchObject({ status: 'released' });
    const again = (await h.post('/v1/holds', { walletId: customer.walletId, reason: 'reported again' }, secret)).body;
    expect((await h.post(`/v1/holds/${again.id}/confirm-fraud`, undefined, secret)).body).toMatchObject({ status: 'confirmed' });
    expect((await h.post('/v1/service/password-reset', undefined, secret)).status).toBe(202);
    await h.drain();
  });

  test('a validation error names each bad field', async () => {
    const reply = await h.post('/v1/sandboxes', { name: 'x'.repeat(101), securityProfile: 'insecure', extra: 1 }, { token: h.adminToken });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: any) => e.field).sort()).toEqual(['extra', 'name', 'securityProfile']);
  });

  test('every wrong amount gets the one message that says what an amount is, with its limit', async () => {
    const fundLimit = 'must be a whole number of yen (a JSON integer, not a string) from 1 to 10000000000';
    for (const amount of ['100', 'abc', null, 10.5, 0, -1, true, 10_000_000_001]) {
      const reply = await h.post(fund(), { amount }, { token: sandbox.secretKey });
      expect({ amount, status: reply.status, errors: reply.body.errors }).toEqual({
        amount,
        status: 400,
        errors: [{ field: 'amount', message: fundLimit }],
      });
    }
    const register = { token: the.storeKey };
    const reply = await h.post('/v1/payments', { code: '7'.repeat(22), amount: '1200' }, register);
    expect(reply.body.errors).toEqual([
      { field: 'amount', message: `must be a whole number of yen (a JSON integer, not a string) from 1 to ${Number.MAX_SAFE_INTEGER}` },
    ]);
  });

  test('sandbox creation refuses a name of the wrong type or length, and creates nothing', async () => {
    for (const name of [42, '', 'x'.repeat(101)]) {
      const reply = await h.post('/v1/sandboxes', { name }, { token: h.adminToken });
      expect(reply.status).toBe(400);
      expect(await sandboxesNamed(name)).toBe(0);
    }
    const unknownProfile = await h.post('/v1/sandboxes', { name: 'profile-probe', securityProfile: 'insecure' }, { token: h.adminToken });
    expect(unknownProfile.status).toBe(400);
    expect(await sandboxesNamed('profile-probe')).toBe(0);
  });

  test('credentials that are missing, malformed or unknown get the same 401', async () => {
    const attempts = [
      await h.get('/v1/sandbox/clock'),
      await h.get('/v1/sandbox/clock', { headers: { authorization: 'Basic abc' } }),
      await h.get('/v1/sandbox/clock', { headers: { authorization: 'Bearer ' } }),
      await h.get('/v1/sandbox/clock', { token: 'sk_test_' + 'A'.repeat(32) }),
      await h.get('/v1/sandbox/clock', { token: 'x'.repeat(600) }),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(attempts[0].body);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    }
  });
});
