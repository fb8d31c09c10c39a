import { beforeAll, describe, expect, test } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../../apps/api/src/openapi.js';
import { Customers } from '../support/customers.js';
import { type Reply, type SandboxKeys, useHarness } from '../support/harness.js';
import { BANK, BOUNCING, fileForWallet, openRefundWindow } from '../support/refund-window.js';

const h = useHarness();

let openapi: OpenAPIObject;
beforeAll(() => {
  openapi = buildOpenApiDocument(h.api);
});

/** The answer's status is one the operation documents, with a schema (problem+json for refusals). */
function documented(reply: Reply, method: 'get' | 'post', path: string): Reply {
  const responses = openapi.paths[path]?.[method]?.responses ?? {};
  expect(Object.keys(responses)).toContain(String(reply.status));
  expect(responses[String(reply.status)]).toHaveProperty('content');
  if (reply.status >= 400) expect(reply.body).toMatchObject({ status: reply.status, code: expect.any(String), type: expect.any(String) });
  return reply;
}

const correct = (token: string, id: string, body: unknown) =>
  h.post(`/v1/refund-claims/${id}/bank-account`, body, { token }).then((r) => documented(r, 'post', '/v1/refund-claims/{id}/bank-account'));
const progress = (token: string, id: string) =>
  h.get(`/v1/payout-runs/${id}/progress`, { token }).then((r) => documented(r, 'get', '/v1/payout-runs/{id}/progress'));

/** A sandbox past its termination, in the refund window, with funded wallets and a customer of its own. */
async function windowSandbox(...balances: number[]) {
  const sandbox = await h.createSandbox();
  const c = new Customers(h, sandbox);
  const customer = await c.onboard();
  const wallets = await Promise.all(balances.map((b) => h.createWallet(sandbox, b)));
  await openRefundWindow(h, sandbox);
  customer.tokens = await c.signIn(customer.who);
  return { sandbox, c, customer, wallets };
}

const file = async (sandbox: SandboxKeys, walletId: string, body: Record<string, unknown>) => ({
  id: await fileForWallet(h, sandbox, walletId, body),
});
const getClaim = async (sandbox: SandboxKeys, id: string) => (await h.get(`/v1/refund-claims/${id}`, { token: sandbox.secretKey })).body;

describe('the operator corrects a claim’s bank account', () => {
  test('a bounced claim is corrected with the secret key, the correction names the operator, and the next run pays it', async () => {
    const { sandbox, wallets } = await windowSandbox(7_000);
    const claim = await file(sandbox, wallets[0], { method: 'bank_transfer', bankAccount: BOUNCING });
    await h.drain();
    expect(await getClaim(sandbox, claim.id)).toMatchObject({ status: 'bounced', failureCode: 'account_not_found' });

    const corrected = await correct(sandbox.secretKey, claim.id, { bankAccount: BANK });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'submitted', failureCode: null, bankAccount: { accountNumberLast4: '4567' } });
    await h.drain();
    expect(await getClaim(sandbox, claim.id)).toMatchObject({ status: 'paid', paidAmount: 7_000 });

    const events = (await h.get('/v1/events?type=refund_claim.corrected', { token: sandbox.secretKey })).body.data;
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ claimId: claim.id, correctedBy: expect.stringMatching(/^operator:/) });
  });

  test('a claim not bounced keeps its status; the account is replaced and nothing is emitted', async () => {
    const { sandbox, wallets } = await windowSandbox(2_000);
    const claim = await file(sandbox, wallets[0], { method: 'bank_transfer', bankAccount: BOUNCING });
    await h.drain();
    expect((await h.post(`/v1/refund-claims/${claim.id}/hold`, { reason: 'checking' }, { token: sandbox.secretKey })).status).toBe(200);
    const corrected = await correct(sandbox.secretKey, claim.id, { bankAccount: { ...BANK, accountNumber: '7654321' } });
    expect(corrected.body).toMatchObject({ status: 'on_hold', bankAccount: { accountNumberLast4: '4321' } });
    expect((await h.get('/v1/events?type=refund_claim.corrected', { token: sandbox.secretKey })).body.data).toHaveLength(0);
  });

  test('bad input is refused with a stable code and changes nothing', async () => {
    const { sandbox, wallets } = await windowSandbox(3_000, 4_000, 5_000);
    const bounced = await file(sandbox, wallets[0], { method: 'bank_transfer', bankAccount: BOUNCING });
    const postal = await file(sandbox, wallets[1], { method: 'postal_payout' });
    const paid = await file(sandbox, wallets[2], { method: 'bank_transfer', bankAccount: BANK });
    await h.drain();
    const before = await getClaim(sandbox, bounced.id);

    const malformed = await correct(sandbox.secretKey, bounced.id, { bankAccount: { ...BANK, accountNumber: '12-34' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('invalid_request');
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'bankAccount.accountNumber' })]);
    for (const body of [{}, { bankAccount: 'x' }, { bankAccount: { ...BANK, holder: '' } }, { bankAccount: BANK, extra: 1 }]) {
      const refused = await correct(sandbox.secretKey, bounced.id, body);
      expect([refused.status, refused.body.code]).toEqual([400, 'invalid_request']);
    }
    const notJson = await h.post(`/v1/refund-claims/${bounced.id}/bank-account`, undefined, {
      token: sandbox.secretKey,
      raw: '{"bankAccount":',
    });
    expect([notJson.status, notJson.body.code]).toEqual([400, 'invalid_request']);

    const toPostal = await correct(sandbox.secretKey, postal.id, { bankAccount: BANK });
    expect([toPostal.status, toPostal.body.code]).toEqual([409, 'invalid_transition']);
    const toPaid = await correct(sandbox.secretKey, paid.id, { bankAccount: BANK });
    expect(toPaid.status).toBe(409);
    // The claim's state is an extension of its own, never RFC 9457's numeric status.
    expect(toPaid.body).toMatchObject({ code: 'invalid_transition', status: 409, claimStatus: 'paid' });

    const unknown = await correct(sandbox.secretKey, 'clm_00000000000000000000000000', { bankAccount: BANK });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const anonymous = await correct('', bounced.id, { bankAccount: BANK });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthenticated']);
    const publishable = await correct(sandbox.publishableKey, bounced.id, { bankAccount: BANK });
    expect([publishable.status, publishable.body.code]).toEqual([403, 'forbidden']);

    expect(await getClaim(sandbox, bounced.id)).toEqual(before);
    expect((await h.get('/v1/events?type=refund_claim.corrected', { token: sandbox.secretKey })).body.data).toHaveLength(0);
  });

  test('a sandbox sees only its own claims: neither another operator nor a customer corrects one', async () => {
    const mine = await windowSandbox(3_000);
    const theirs = await windowSandbox();
    const claim = await file(mine.sandbox, mine.wallets[0], { method: 'bank_transfer', bankAccount: BOUNCING });
    await h.drain();
    const before = await getClaim(mine.sandbox, claim.id);

    const otherOperator = await correct(theirs.sandbox.secretKey, claim.id, { bankAccount: BANK });
    expect([otherOperator.status, otherOperator.body.code]).toEqual([404, 'not_found']);
    // A customer of the same sandbox corrects only a claim of their own wallet.
    const { c, customer } = mine;
    const stranger = await c.stepUp(customer.who, customer.tokens.accessToken, () =>
      correct(customer.tokens.accessToken, claim.id, { bankAccount: BANK }),
    );
    expect([stranger.status, stranger.body.code]).toEqual([404, 'not_found']);
    expect(await getClaim(mine.sandbox, claim.id)).toEqual(before);
  });
});

describe('a payout run’s progress', () => {
  test('reaches 100 % with the wallets and yen the ledger paid, over sandbox time, and the report reconciles', async () => {
    const { sandbox, wallets } = await windowSandbox(1_000, 2_000, 3_000, 4_000);
    await file(sandbox, wallets[0], { method: 'bank_transfer', bankAccount: BANK });
    await file(sandbox, wallets[1], { method: 'postal_payout' });
    await file(sandbox, wallets[2], { method: 'bank_transfer', bankAccount: BOUNCING });
    await h.drain();
    const late = await file(sandbox, wallets[3], { method: 'bank_transfer', bankAccount: BANK });
    // Whatever the claims started has finished; the operator's run pays what is left.
    await h.drain();
    const runs = (await h.get('/v1/payout-runs', { token: sandbox.secretKey })).body.data;
    expect(runs.length).toBeGreaterThan(0);
    const all = await Promise.all(runs.map((r: { id: string }) => progress(sandbox.secretKey, r.id)));
    for (const reply of all) {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'completed', percent: 100 });
      const last = reply.body.points.at(-1);
      expect(last ? [last.paid, last.amount] : [0, 0]).toEqual([reply.body.paid, reply.body.amount]);
      expect(reply.body.payable).toBe(reply.body.paid + reply.body.bounced + reply.body.held);
      expect(reply.body.points.map((p: { at: string }) => p.at)).toEqual(reply.body.points.map((p: { at: string }) => p.at).sort());
    }
    const sum = (key: 'paid' | 'amount' | 'bounced') => all.reduce((total, r) => total + (r.body[key] as number), 0);
    expect([sum('paid'), sum('amount'), sum('bounced')]).toEqual([3, 7_000, 1]);
    expect(await getClaim(sandbox, late.id)).toMatchObject({ status: 'paid' });

    const report = (await h.get('/v1/reports/refunds', { token: sandbox.secretKey })).body;
    expect(report).toMatchObject({ refunded: 7_000, outstanding: 3_000, reconciles: { balances: true, payouts: true } });
  });

  test('unknown, foreign or non-operator runs are refused', async () => {
    const { sandbox, wallets } = await windowSandbox(1_000);
    const other = await h.createSandbox();
    await file(sandbox, wallets[0], { method: 'postal_payout' });
    await h.drain();
    const [run] = (await h.get('/v1/payout-runs', { token: sandbox.secretKey })).body.data;
    expect((await progress(sandbox.secretKey, run.id)).body).toMatchObject({ runId: run.id, paid: 1, amount: 1_000, percent: 100 });

    const unknown = await progress(sandbox.secretKey, 'prn_00000000000000000000000000');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const foreign = await progress(other.secretKey, run.id);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    const anonymous = await progress('', run.id);
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'unauthenticated']);
    const publishable = await progress(sandbox.publishableKey, run.id);
    expect([publishable.status, publishable.body.code]).toEqual([403, 'forbidden']);
  });
});
