import { beforeAll, describe, expect, test } from '@jest/globals';
import { Customers } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';

const h = useHarness();
let sandbox: SandboxKeys;
let storeKey: string;
let code: string;
let paymentId: string;
let foreignCode: string;

beforeAll(async () => {
  sandbox = await h.createSandbox();
  storeKey = (await h.post('/v1/stores', { name: 'Input Store' }, { token: sandbox.secretKey })).body.apiKey;
  const customer = await new Customers(h, sandbox).onboard();
  await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 10_000 }, { token: sandbox.secretKey });
  const first = (await h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken })).body.code;
  paymentId = (await h.post('/v1/payments', { code: first, amount: 1_000 }, { token: storeKey })).body.id;
  code = (await h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken })).body.code;

  const other = await h.createSandbox();
  const stranger = await new Customers(h, other).onboard();
  foreignCode = (await h.post('/v1/payment-codes', undefined, { token: stranger.tokens.accessToken })).body.code;
});

async function footprint(): Promise<unknown> {
  const [row] = await h.db.rows(
    `SELECT (SELECT count(*) FROM capture_payments WHERE sandbox_id = $1) AS payments,
            (SELECT count(*) FROM capture_refunds WHERE sandbox_id = $1) AS refunds,
            (SELECT count(*) FROM ledger_transfers WHERE sandbox_id = $1) AS transfers,
            (SELECT count(*) FILTER (WHERE status = 'active') FROM barcode_payment_codes WHERE sandbox_id = $1) AS live_codes,
            (SELECT count(*) FROM outbox_events WHERE sandbox_id = $1) AS events`,
    [sandbox.id],
  );
  return row;
}

interface Case {
  name: string;
  path: () => string;
  body: unknown;
  status: number;
  code: string;
  raw?: string;
}

const capture = () => '/v1/payments';
const cases: Case[] = [
  { name: 'an amount of zero', path: capture, body: () => ({ code, amount: 0 }), status: 400, code: 'invalid_request' },
  { name: 'a negative amount', path: capture, body: () => ({ code, amount: -500 }), status: 400, code: 'invalid_request' },
  { name: 'a fractional amount', path: capture, body: () => ({ code, amount: 99.5 }), status: 400, code: 'invalid_request' },
  { name: 'an amount as a string', path: capture, body: () => ({ code, amount: '500' }), status: 400, code: 'invalid_request' },
  { name: 'an amount beyond safe integers', path: capture, body: null, raw: '', status: 400, code: 'invalid_request' },
  {
    name: 'a code with letters',
    path: capture,
    body: () => ({ code: '79ABCDEFGHIJKLMNOPQRST', amount: 100 }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a code of the wrong length',
    path: capture,
    body: () => ({ code: '7912345', amount: 100 }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a code with a wrong check digit',
    path: capture,
    body: () => ({ code: code.slice(0, -1) + String((Number(code.slice(-1)) + 1) % 10), amount: 100 }),
    status: 422,
    code: 'code_invalid',
  },
  { name: "another sandbox's code", path: capture, body: () => ({ code: foreignCode, amount: 100 }), status: 422, code: 'code_invalid' },
  {
    name: 'capture as a string',
    path: capture,
    body: () => ({ code, amount: 100, capture: 'false' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an unknown terminal',
    path: capture,
    body: () => ({ code, amount: 100, terminalId: 'trm_00000000000000000000000000' }),
    status: 404,
    code: 'not_found',
  },
  { name: 'an unknown field', path: capture, body: () => ({ code, amount: 100, tip: 10 }), status: 400, code: 'invalid_request' },
  {
    name: 'a refund of zero',
    path: () => `/v1/payments/${paymentId}/refunds`,
    body: () => ({ amount: 0 }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a refund beyond safe integers',
    path: () => `/v1/payments/${paymentId}/refunds`,
    body: null,
    raw: '{"amount": 9007199254740993}',
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a refund of an unknown payment',
    path: () => '/v1/payments/pay_00000000000000000000000000/refunds',
    body: () => ({ amount: 10 }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a capture of an unknown payment',
    path: () => '/v1/payments/pay_00000000000000000000000000/capture',
    body: () => ({}),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a store code with a zero amount',
    path: () => '/v1/store-codes',
    body: () => ({ amount: 0 }),
    status: 400,
    code: 'invalid_request',
  },
];

describe('the register API refuses bad input with a stable code and writes nothing', () => {
  test.each(cases)('$name', async ({ path, body, raw, status, code: expected }) => {
    const before = await footprint();
    const payload = typeof body === 'function' ? (body as () => unknown)() : undefined;
    const rawBody = raw === '' ? `{"code": "${code}", "amount": 9007199254740993}` : raw;
    const reply = await h.request('POST', path(), payload, { token: storeKey, raw: rawBody });
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code: expected });
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(await footprint()).toEqual(before);
  });

  test('the code survives every refusal: it still pays afterwards', async () => {
    const reply = await h.post('/v1/payments', { code, amount: 100 }, { token: storeKey });
    expect(reply.status).toBe(201);
  });

  test('a store key reaches nothing of another sandbox, and a customer token cannot take payments', async () => {
    const other = await h.createSandbox();
    expect(
      (
        await h.get(`/v1/payments/${paymentId}`, {
          token: (await h.post('/v1/stores', { name: 'x' }, { token: other.secretKey })).body.apiKey,
        })
      ).status,
    ).toBe(404);
    expect((await h.get(`/v1/payments/${paymentId}`, { token: sandbox.secretKey })).status).toBe(200);
    expect((await h.post('/v1/payments', { code, amount: 100 }, { token: sandbox.secretKey })).status).toBe(403);
  });
});
