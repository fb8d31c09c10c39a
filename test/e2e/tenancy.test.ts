import { beforeAll, expect, test } from '@jest/globals';
import { SandboxTime } from '#core';
import { Messages } from '#sandbox';
import { useHarness, type SandboxKeys } from '../support/harness.js';

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
