import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DeliveryTargets, systemResolver } from '#webhooks';
import { useHarness } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

// As in production: webhooks may reach only public addresses.
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';

const h = useHarness();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver.close();
});

/** Answers for made-up names; real names (localhost) go to the system resolver. */
function fakeDns(targets: DeliveryTargets, answers: Record<string, string[]>): void {
  targets.useResolver(async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses) return systemResolver(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  });
}

describe('webhook URLs outside development and test', () => {
  const port = (): string => new URL(receiver.url).port;

  test.each([
    ['loopback', () => `http://127.0.0.1:${port()}/hook`],
    ['loopback by name (after DNS resolution)', () => `http://localhost:${port()}/hook`],
    ['IPv6 loopback', () => 'http://[::1]/hook'],
    ['IPv4-mapped IPv6 loopback', () => 'http://[::ffff:127.0.0.1]/hook'],
    ['the unspecified address', () => 'http://0.0.0.0/hook'],
    ['private 10/8', () => 'http://10.1.2.3/hook'],
    ['private 172.16/12', () => 'https://172.16.5.4/hook'],
    ['private 192.168/16', () => 'http://192.168.0.10/hook'],
    ['link-local (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 link-local', () => 'http://[fe80::1]/hook'],
    ['IPv6 unique local', () => 'http://[fd00::5]/hook'],
    ['a name resolving to a private address', () => 'https://intranet.example.test/hook'],
    ['a name with one private address among public ones', () => 'https://mixed.example.test/hook'],
  ])('%s is refused (422 url_not_allowed) and nothing is created', async (_name, url) => {
    fakeDns(h.api.get(DeliveryTargets), { 'intranet.example.test': ['10.0.0.7'], 'mixed.example.test': ['203.0.114.9', '192.168.1.1'] });
    const sandbox = await h.createSandbox();
    const reply = await h.post('/v1/webhook-endpoints', { url: url(), events: ['*'] }, { token: sandbox.secretKey });
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status: 422, code: 'url_not_allowed' });
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect((await h.get('/v1/webhook-endpoints', { token: sandbox.secretKey })).body.data).toEqual([]);
  });

  test.each([
    ['another scheme', 'ftp://example.com/hook'],
    ['javascript', 'javascript:alert(1)'],
    ['credentials in the URL', 'https://user:secret@example.com/hook'],
    ['not a URL', 'hooks please'],
    ['no scheme', 'example.com/hook'],
    ['a host written as one number (127.0.0.1 to URL parsers)', 'http://2130706433/hook'],
  ])('%s is refused as invalid (400)', async (_name, url) => {
    const sandbox = await h.createSandbox();
    const reply = await h.post('/v1/webhook-endpoints', { url, events: ['*'] }, { token: sandbox.secretKey });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: any) => e.field)).toEqual(['url']);
  });

  test('a name that passed the check but resolves to loopback at delivery time (DNS rebinding) is not connected to', async () => {
    // The api sees a public address when the endpoint is created; the worker's lookup at delivery answers loopback.
    fakeDns(h.api.get(DeliveryTargets), { 'hooks.example.test': ['203.0.114.10'] });
    fakeDns(h.worker!.get(DeliveryTargets), { 'hooks.example.test': ['127.0.0.1'] });
    const sandbox = await h.createSandbox();
    const created = await h.post(
      '/v1/webhook-endpoints',
      { url: `http://hooks.example.test:${port()}/rebound`, events: ['wallet.created'] },
      { token: sandbox.secretKey },
    );
    expect(created.status).toBe(201);
    await h.createWallet(sandbox);
    await h.drain();
    const [event] = (await h.get('/v1/events?type=wallet.created', { token: sandbox.secretKey })).body.data;
    const [attempt] = (await h.get(`/v1/events/${event.id}/deliveries`, { token: sandbox.secretKey })).body.data;
    expect(attempt).toMatchObject({ status: 'failed', error: 'address_not_allowed', httpStatus: null });
    expect(receiver.received).toEqual([]);
  });
});
