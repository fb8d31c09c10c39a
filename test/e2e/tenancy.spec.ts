import { beforeAll, describe, expect, test } from '@jest/globals';
import { SandboxTime } from '#core';
import { Messages } from '#sandbox';
import { Customers } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';
import { rowDigests } from '../support/sandbox-tables.js';

type Onboarded = Awaited<ReturnType<Customers['onboard']>>;

const h = useHarness();
let a: SandboxKeys;
let b: SandboxKeys;
let bWallet: string;
let bEvent: string;

beforeAll(async () => {
  a = await h.createSandbox();
  b = await h.createSandbox();
  bWallet = await h.createWallet(b, 5_000);
  bEvent = (await h.get('/v1/events?limit=1', { token: b.secretKey })).body.data[0].id;
  await h.api.get(Messages).send(h.db, {
    sandboxId: b.id,
    channel: 'email',
    to: 'b@example.test',
    subject: 'hi',
    body: 'code 123456',
    at: new SandboxTime(0).now(),
  });
});

test("sandbox A's secret key gets 404 for every object of sandbox B, and changes nothing", async () => {
  const asA = { token: a.secretKey };
  const reads = [await h.get(`/v1/sandbox/wallets/${bWallet}`, asA), await h.get(`/v1/events/${bEvent}`, asA)];
  const writes = [await h.post(`/v1/sandbox/wallets/${bWallet}/fund`, { amount: 1 }, asA)];
  for (const reply of [...reads, ...writes]) {
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('not_found');
  }
  expect((await h.get(`/v1/sandbox/wallets/${bWallet}`, { token: b.secretKey })).body.balance).toBe(5_000);
});

test("B's objects never appear in A's lists or reports", async () => {
  const events = await h.get('/v1/events?limit=100', { token: a.secretKey });
  expect(events.body.data.every((e: any) => !JSON.stringify(e).includes(b.id) && e.id !== bEvent)).toBe(true);
  const messages = await h.get('/v1/sandbox/messages?to=b@example.test', { token: a.secretKey });
  expect(messages.body.data).toEqual([]);
  const report = await h.get('/v1/reports/reconciliation', { token: a.secretKey });
  expect(report.body.totals.walletBalances).toBe(0);
  expect(report.body.totals.accounts.wallet).toBe(0);
});

test("resetting A leaves B's data intact", async () => {
  expect((await h.post('/v1/sandbox/reset', undefined, { token: a.secretKey })).status).toBe(200);
  expect((await h.get(`/v1/sandbox/wallets/${bWallet}`, { token: b.secretKey })).body.balance).toBe(5_000);
  expect((await h.get(`/v1/events/${bEvent}`, { token: b.secretKey })).status).toBe(200);
  expect((await h.get('/v1/sandbox/messages', { token: b.secretKey })).body.data).toHaveLength(1);
});

test('credentials only reach what their kind may: publishable and admin credentials cannot use sandbox tools', async () => {
  const byPublishable = await h.get('/v1/sandbox/clock', { headers: { 'x-publishable-key': a.publishableKey } });
  expect(byPublishable.status).toBe(401);
  const publishableAsBearer = await h.get('/v1/sandbox/clock', { token: a.publishableKey });
  expect(publishableAsBearer.status).toBe(403);
  expect(publishableAsBearer.body.code).toBe('forbidden');
  const byAdmin = await h.get('/v1/sandbox/clock', { token: h.adminToken });
  expect(byAdmin.status).toBe(403);
  const secretCreatesSandbox = await h.post('/v1/sandboxes', { name: 'nope' }, { token: a.secretKey });
  expect(secretCreatesSandbox.status).toBe(403);
});

describe("every route that takes an id answers 404 to another sandbox's credential", () => {
  const BANK = { bankCode: '0005', branchCode: '251', accountNumber: '1234567', holder: 'ヤマダ ハナコ' };
  /** What each side needs: the intruding sandbox its credentials, the owning one its objects' ids. */
  const mine = { secretKey: '', accessToken: '', storeKey: '', eventId: '' };
  const theirs: Record<string, string> = {};
  const owner = { secretKey: '', storeKey: '', sandboxId: '', rows: {} as Record<string, string> };

  /** A new sandbox with a funded customer, who has a card and has just passed a second factor, and a store. */
  async function populated(): Promise<{ sandbox: SandboxKeys; customer: Onboarded; card: string; store: { id: string; apiKey: string } }> {
    const sandbox = await h.createSandbox();
    const customers = new Customers(h, sandbox);
    const customer = await customers.onboard();
    await h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 3_000 }, { token: sandbox.secretKey });
    const card = await customers.addCard(customer.who, customer.tokens.accessToken);
    const store = (await h.post('/v1/stores', { name: 'Ueno' }, { token: sandbox.secretKey })).body;
    return { sandbox, customer, card, store };
  }

  beforeAll(async () => {
    const intruder = await populated();
    Object.assign(mine, {
      secretKey: intruder.sandbox.secretKey,
      accessToken: intruder.customer.tokens.accessToken,
      storeKey: intruder.store.apiKey,
      eventId: (await h.get('/v1/events?limit=1', { token: intruder.sandbox.secretKey })).body.data[0].id,
    });

    const other = await populated();
    const secret = { token: other.sandbox.secretKey };
    const asCustomer = { token: other.customer.tokens.accessToken };
    const asStore = { token: other.store.apiKey };
    const code = async () => (await h.post('/v1/payment-codes', undefined, asCustomer)).body;
    theirs.wallet = other.customer.walletId;
    theirs.card = other.card;
    theirs.store = other.store.id;
    theirs.topup = (await h.post('/v1/topups', { amount: 1_000, channel: 'card', cardId: other.card }, asCustomer)).body.id;
    theirs.payment = (await h.post('/v1/payments', { code: (await code()).code, amount: 500 }, asStore)).body.id;
    theirs.cashTopup = (await h.post('/v1/register-topups', { code: (await code()).code, amount: 1_000 }, asStore)).body.id;
    theirs.paymentCode = (await code()).id;
    theirs.storeCode = (await h.post('/v1/store-codes', {}, asStore)).body.id;
    theirs.session = (await h.get('/v1/auth/sessions', asCustomer)).body.data[0].id;
    theirs.device = (await h.get('/v1/auth/devices', asCustomer)).body.data[0].id;
    theirs.endpoint = (
      await h.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['store.created'] }, secret)
    ).body.id;
    const heldWallet = await h.createWallet(other.sandbox, 100);
    theirs.hold = (await h.post('/v1/holds', { walletId: heldWallet, reason: 'a reported takeover' }, secret)).body.id;
    theirs.event = (await h.get('/v1/events?limit=1', secret)).body.data[0].id;
    theirs.storeKey = (await h.get(`/v1/stores/${other.store.id}/keys`, secret)).body.data[0].id;
    const keys = (await h.get('/v1/sandbox/keys', secret)).body.data as Array<{ id: string; kind: string }>;
    for (const key of keys) theirs[`${key.kind}Key`] = key.id;

    // Refund claims and payout runs exist from the service's end on.
    const now = Date.parse((await h.get('/v1/sandbox/clock', secret)).body.now);
    const day = 86_400_000;
    const announced = await h.post(
      '/v1/service/transitions',
      {
        to: 'abolition_announced',
        terminationAt: new Date(now + 10 * day).toISOString(),
        refundClaimsFrom: new Date(now + 11 * day).toISOString(),
        refundClaimsUntil: new Date(now + 101 * day).toISOString(),
      },
      secret,
    );
    expect(announced.status).toBe(201);
    expect((await h.post('/v1/sandbox/clock/advance', { seconds: 10 * 86_400 + 1 }, secret)).status).toBe(200);
    await h.drain();
    const claim = await h.post('/v1/refund-claims', { walletId: other.customer.walletId, method: 'postal_payout' }, secret);
    theirs.claim = claim.body.id;
    await h.drain();
    theirs.payoutRun = (await h.get('/v1/payout-runs', secret)).body.data[0].id;

    for (const [name, id] of Object.entries(theirs)) expect({ name, id }).toEqual({ name, id: expect.stringMatching(/^[a-z]+_\w+$/) });
    Object.assign(owner, { secretKey: other.sandbox.secretKey, storeKey: other.store.apiKey, sandboxId: other.sandbox.id });
    owner.rows = await rowDigests(h.db, owner.sandboxId);
  });

  type As = 'secret' | 'customer' | 'store';
  const route = (method: 'GET' | 'POST' | 'DELETE', path: string, as: As = 'secret', body?: unknown) => ({ method, path, as, body });
  const routes = [
    route('GET', '/v1/sandbox/wallets/{wallet}'),
    route('POST', '/v1/sandbox/wallets/{wallet}/fund', 'secret', { amount: 1 }),
    route('POST', '/v1/sandbox/wallets/{wallet}/points', 'secret', { points: 1 }),
    route('POST', '/v1/holds', 'secret', { walletId: '{wallet}', reason: 'not ours' }),
    route('GET', '/v1/holds/{hold}'),
    route('POST', '/v1/holds/{hold}/release', 'secret', {}),
    route('POST', '/v1/holds/{hold}/confirm-fraud', 'secret', {}),
    route('GET', '/v1/events/{event}'),
    route('GET', '/v1/events/{event}/deliveries'),
    route('POST', '/v1/events/{event}/redeliver'),
    route('POST', '/v1/events/{mine.event}/redeliver', 'secret', { endpointId: '{endpoint}' }),
    route('GET', '/v1/webhook-endpoints/{endpoint}'),
    route('DELETE', '/v1/webhook-endpoints/{endpoint}'),
    route('POST', '/v1/webhook-endpoints/{endpoint}/disable'),
    route('POST', '/v1/webhook-endpoints/{endpoint}/enable'),
    route('POST', '/v1/webhook-endpoints/{endpoint}/rotate-secret'),
    route('GET', '/v1/stores/{store}'),
    route('POST', '/v1/stores/{store}/terminals', 'secret', { name: 'Register 9' }),
    route('GET', '/v1/stores/{store}/keys'),
    route('POST', '/v1/stores/{store}/keys/{storeKey}/roll', 'secret', {}),
    route('POST', '/v1/stores/{store}/keys/{storeKey}/revoke'),
    route('POST', '/v1/sandbox/keys/{secretKey}/roll', 'secret', { expiresInSeconds: 60 }),
    route('POST', '/v1/sandbox/keys/{publishableKey}/revoke'),
    route('GET', '/v1/topups/{topup}'),
    route('GET', '/v1/topups/{topup}', 'customer'),
    route('GET', '/v1/topups/{cashTopup}', 'store'),
    route('POST', '/v1/topups/{topup}/three-d-secure', 'customer', { code: '123456' }),
    route('DELETE', '/v1/cards/{card}', 'customer'),
    route('GET', '/v1/payment-codes/{paymentCode}/qr.svg', 'customer'),
    route('GET', '/v1/payment-codes/{paymentCode}/qr.png', 'customer'),
    route('GET', '/v1/payment-codes/{paymentCode}/barcode.svg', 'customer'),
    route('DELETE', '/v1/auth/sessions/{session}', 'customer'),
    route('DELETE', '/v1/auth/devices/{device}', 'customer'),
    route('GET', '/v1/payments/{payment}'),
    route('GET', '/v1/payments/{payment}', 'store'),
    route('POST', '/v1/payments/{payment}/capture', 'store', {}),
    route('POST', '/v1/payments/{payment}/void', 'store'),
    route('POST', '/v1/payments/{payment}/refunds', 'store', { amount: 1 }),
    route('GET', '/v1/store-codes/{storeCode}/qr.svg', 'store'),
    route('GET', '/v1/store-codes/{storeCode}/qr.png', 'store'),
    route('GET', '/v1/refund-claims/{claim}'),
    route('GET', '/v1/refund-claims/{claim}', 'customer'),
    route('POST', '/v1/refund-claims/{claim}/hold', 'secret', {}),
    route('POST', '/v1/refund-claims/{claim}/release', 'secret', {}),
    route('POST', '/v1/refund-claims/{claim}/bank-account', 'customer', { bankAccount: BANK }),
    route('GET', '/v1/payout-runs/{payoutRun}'),
  ];
  const fill = (text: string): string =>
    text.replace(/\{(mine\.)?(\w+)\}/g, (_, own: string | undefined, name: string) => (own ? mine.eventId : theirs[name]));

  test.each(routes)('$method $path ($as)', async ({ method, path, as, body }) => {
    const token = { secret: mine.secretKey, customer: mine.accessToken, store: mine.storeKey }[as];
    const reply = await h.request(method, fill(path), body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body))), { token });
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 404, code: 'not_found' });
  });

  // The ids are real: the owner's own key reads them (its customer's session ran out with the clock).
  test.each(routes.filter((r) => r.method === 'GET' && r.as !== 'customer'))(
    "$path reaches the owner's object with its own $as key",
    async ({ path, as }) => {
      const reply = await h.get(fill(path), { token: as === 'store' ? owner.storeKey : owner.secretKey });
      expect(reply.status).toBe(200);
    },
  );

  test("none of the calls changed anything of the owner's", async () => {
    expect(await rowDigests(h.db, owner.sandboxId)).toEqual(owner.rows);
  });
});
