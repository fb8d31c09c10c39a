import { beforeAll, describe, expect, test } from '@jest/globals';
import { Customers, type CustomerIdentity, type Tokens } from '../support/customers.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();
const DAY_MS = 86_400_000;
const BANK = { bankCode: '0005', branchCode: '251', accountNumber: '1234567', holder: 'ヤマダ タロウ' };

/** A sandbox still operating, and one in its refund window with a customer who passed the second factor. */
let operating: SandboxKeys;
let windowed: SandboxKeys;
let who: CustomerIdentity;
let tokens: Tokens;
let foreignWallet: string;

beforeAll(async () => {
  operating = await h.createSandbox();
  foreignWallet = await h.createWallet(operating, 500);
  windowed = await h.createSandbox();
  const c = new Customers(h, windowed);
  const customer = await c.onboard();
  who = customer.who;
  await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 5_000 }, { token: windowed.secretKey });
  const now = new Date((await h.get('/v1/sandbox/clock', { token: windowed.secretKey })).body.now);
  const terminationAt = new Date(now.getTime() + DAY_MS);
  await h.post(
    '/v1/service/transitions',
    {
      to: 'abolition_announced',
      terminationAt: terminationAt.toISOString(),
      refundClaimsUntil: new Date(terminationAt.getTime() + 90 * DAY_MS).toISOString(),
    },
    { token: windowed.secretKey },
  );
  await h.post('/v1/sandbox/clock/advance', { seconds: 86_401 }, { token: windowed.secretKey });
  await h.drain();
  tokens = await c.signIn(who);
  // Pass the second factor now, so each case below meets its own refusal.
  const asked = await h.post(
    '/v1/cards',
    { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' },
    { token: tokens.accessToken },
  );
  expect(asked.body.code).toBe('step_up_required');
  expect((await c.verify(asked.body.challengeId, await c.latestCode(who.phone), tokens.accessToken)).status).toBe(200);
});

async function footprint(): Promise<unknown> {
  const [row] = await h.db.rows(
    `SELECT (SELECT count(*) FROM lifecycle_transitions) AS transitions,
            (SELECT count(*) FROM lifecycle_refund_claims) AS claims,
            (SELECT count(*) FROM lifecycle_payout_runs) AS runs,
            (SELECT count(*) FROM ledger_transfers) AS transfers,
            (SELECT count(*) FROM outbox_events) AS events`,
  );
  return row;
}

type Who = 'operator' | 'operatorInWindow' | 'customer';

interface Case {
  name: string;
  as: Who;
  path: string;
  body: () => unknown;
  status: number;
  code: string;
}

const transitions = '/v1/service/transitions';
const claims = '/v1/refund-claims';
const mine = () => ({ email: who.email, phone: who.phone });
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

const cases: Case[] = [
  { name: 'a transition without a phase', as: 'operator', path: transitions, body: () => ({}), status: 400, code: 'invalid_request' },
  { name: 'an unknown phase', as: 'operator', path: transitions, body: () => ({ to: 'paused' }), status: 400, code: 'invalid_request' },
  {
    name: 'a time that is not ISO 8601',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'topup_suspended', effectiveAt: 'next tuesday' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a time in the past',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'topup_suspended', effectiveAt: inDays(-1) }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'back to operating',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'operating' }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'straight to closed',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'closed' }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'a claim period of 30 days',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'abolition_announced', terminationAt: inDays(10), refundClaimsUntil: inDays(40) }),
    status: 422,
    code: 'notice_period_too_short',
  },
  {
    name: 'claims opening before termination',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'abolition_announced', terminationAt: inDays(10), refundClaimsFrom: inDays(9), refundClaimsUntil: inDays(100) }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'termination before the announcement',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'abolition_announced', effectiveAt: inDays(5), terminationAt: inDays(4), refundClaimsUntil: inDays(100) }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a reason of 501 characters',
    as: 'operator',
    path: transitions,
    body: () => ({ to: 'topup_suspended', reason: 'x'.repeat(501) }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a moved-on service',
    as: 'operatorInWindow',
    path: transitions,
    body: () => ({ to: 'topup_suspended' }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'a claim before the refund window',
    as: 'operator',
    path: claims,
    body: () => ({ walletId: foreignWallet, method: 'postal_payout' }),
    status: 403,
    code: 'service_suspended',
  },
  {
    name: 'an unknown payout method',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'cash' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a bank transfer without an account',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'bank_transfer' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a bank code of 3 digits',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'bank_transfer', bankAccount: { ...BANK, bankCode: '005' } }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an account number with letters',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'bank_transfer', bankAccount: { ...BANK, accountNumber: '12345AB' } }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an empty account holder',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'bank_transfer', bankAccount: { ...BANK, holder: '' } }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a postal payout with a bank account',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'postal_payout', bankAccount: BANK }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'another e-mail address',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), email: 'someone.else@example.test', method: 'postal_payout' }),
    status: 422,
    code: 'identity_mismatch',
  },
  {
    name: 'a phone number that is not E.164',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), phone: '090-1234-5678', method: 'postal_payout' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a customer naming a wallet',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), walletId: foreignWallet, method: 'postal_payout' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'a customer claim without the registered contacts',
    as: 'customer',
    path: claims,
    body: () => ({ method: 'postal_payout' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an unknown field',
    as: 'customer',
    path: claims,
    body: () => ({ ...mine(), method: 'postal_payout', fee: 0 }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: 'an operator claim without a wallet',
    as: 'operatorInWindow',
    path: claims,
    body: () => ({ method: 'postal_payout' }),
    status: 400,
    code: 'invalid_request',
  },
  {
    name: "another sandbox's wallet",
    as: 'operatorInWindow',
    path: claims,
    body: () => ({ walletId: foreignWallet, method: 'postal_payout' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'holding an unknown claim',
    as: 'operatorInWindow',
    path: '/v1/refund-claims/clm_00000000000000000000000000/hold',
    body: () => ({}),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'correcting with a malformed account',
    as: 'customer',
    path: '/v1/refund-claims/clm_00000000000000000000000000/bank-account',
    body: () => ({ bankAccount: { ...BANK, branchCode: 'abc' } }),
    status: 400,
    code: 'invalid_request',
  },
];

describe('the lifecycle API refuses bad input with a stable code and changes nothing', () => {
  test.each(cases)('$name', async ({ as, path, body, status, code }) => {
    const token = as === 'operator' ? operating.secretKey : as === 'operatorInWindow' ? windowed.secretKey : tokens.accessToken;
    const before = await footprint();
    const reply = await h.post(path, body(), { token });
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(await footprint()).toEqual(before);
  });

  test('after every refusal the customer can still claim', async () => {
    const reply = await h.post(claims, { ...mine(), method: 'postal_payout' }, { token: tokens.accessToken });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ status: 'submitted', amount: 5_000 });
  });
});
