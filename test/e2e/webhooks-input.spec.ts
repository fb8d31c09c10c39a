import { beforeAll, describe, expect, test } from '@jest/globals';
import { type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();
let sandbox: SandboxKeys;
let endpointId: string;
let eventId: string;

beforeAll(async () => {
  sandbox = await h.createSandbox();
  const created = await h.post(
    '/v1/webhook-endpoints',
    { url: 'http://127.0.0.1:9/hook', events: ['store.created'] },
    { token: sandbox.secretKey },
  );
  endpointId = created.body.id;
  eventId = (await h.get('/v1/events?limit=1', { token: sandbox.secretKey })).body.data[0].id;
});

/** What a refused request could have changed: endpoints, their secrets, the event log, deliveries. */
async function footprint(): Promise<unknown> {
  const [counts] = await h.db.rows(
    `SELECT (SELECT count(*) FROM webhook_endpoints WHERE sandbox_id = $1) AS endpoints,
            (SELECT string_agg(secret_sealed || coalesce(previous_secret_sealed, '') || status, ',') FROM webhook_endpoints WHERE sandbox_id = $1) AS state,
            (SELECT count(*) FROM outbox_events WHERE sandbox_id = $1) AS events,
            (SELECT count(*) FROM webhook_deliveries WHERE sandbox_id = $1) AS deliveries`,
    [sandbox.id],
  );
  return counts;
}

const create = (body: unknown, raw?: string) => ({ path: () => '/v1/webhook-endpoints', body, raw });
const rotate = (body: unknown, raw?: string) => ({ path: () => `/v1/webhook-endpoints/${endpointId}/rotate-secret`, body, raw });
const redeliver = (body: unknown) => ({ path: () => `/v1/events/${eventId}/redeliver`, body });

const cases: Array<[string, { path: () => string; body: unknown; raw?: string }, string[]]> = [
  ['no url', create({ events: ['*'] }), ['url']],
  ['a url that is not a string', create({ url: 42, events: ['*'] }), ['url']],
  ['an over-long url', create({ url: `https://example.com/${'a'.repeat(2_100)}`, events: ['*'] }), ['url']],
  ['no events', create({ url: 'https://example.com/h' }), ['events']],
  ['an empty event list', create({ url: 'https://example.com/h', events: [] }), ['events']],
  ['an unknown event type', create({ url: 'https://example.com/h', events: ['payment.captured', 'payment.teleported'] }), ['events']],
  ['events as a string', create({ url: 'https://example.com/h', events: '*' }), ['events']],
  ['an empty description', create({ url: 'https://example.com/h', events: ['*'], description: '' }), ['description']],
  ['an unknown field', create({ url: 'https://example.com/h', events: ['*'], secret: 'whsec_mine' }), ['secret']],
  ['a negative overlap', rotate({ overlapSeconds: -1 }), ['overlapSeconds']],
  ['an overlap beyond 7 days', rotate({ overlapSeconds: 7 * 86_400 + 1 }), ['overlapSeconds']],
  ['a fractional overlap', rotate({ overlapSeconds: 1.5 }), ['overlapSeconds']],
  ['a rotation body of JSON null', rotate(undefined, 'null'), ['body']],
  ['a malformed endpoint id to redeliver to', redeliver({ endpointId: "whe_' OR 1=1" }), ['endpointId']],
  ['an unknown redelivery field', redeliver({ everything: true }), ['everything']],
];

describe('bad webhook input gets 400 naming the field and changes nothing', () => {
  test.each(cases)('%s', async (_name, { path, body, raw }, fields) => {
    const before = await footprint();
    const reply = await h.request('POST', path(), body, { token: sandbox.secretKey, raw });
    expect({ status: reply.status, code: reply.body.code }).toEqual({ status: 400, code: 'invalid_request' });
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.errors.map((e: any) => e.field)).toEqual(fields);
    expect(await footprint()).toEqual(before);
  });

  test('unknown endpoints and events answer 404', async () => {
    const before = await footprint();
    const missing = 'whe_00000000000000000000000000';
    for (const [method, path] of [
      ['GET', `/v1/webhook-endpoints/${missing}`],
      ['DELETE', `/v1/webhook-endpoints/${missing}`],
      ['POST', `/v1/webhook-endpoints/${missing}/disable`],
      ['POST', `/v1/webhook-endpoints/${missing}/enable`],
      ['POST', `/v1/webhook-endpoints/${missing}/rotate-secret`],
      ['GET', '/v1/events/evt_00000000000000000000000000/deliveries'],
      ['GET', `/v1/events/${'e'.repeat(2_000)}/deliveries`],
    ]) {
      const reply = await h.request(method, path, undefined, { token: sandbox.secretKey });
      expect({ path, status: reply.status, code: reply.body.code }).toEqual({ path, status: 404, code: 'not_found' });
    }
    expect(await footprint()).toEqual(before);
  });

  test('the publishable key or a store key cannot manage webhooks', async () => {
    const publishable = await h.get('/v1/webhook-endpoints', { headers: { 'x-publishable-key': sandbox.publishableKey } });
    expect(publishable.status).toBe(401);
    const store = await h.post('/v1/stores', { name: 'Register' }, { token: sandbox.secretKey });
    const fromRegister = await h.post(
      '/v1/webhook-endpoints',
      { url: 'https://example.com/h', events: ['*'] },
      { token: store.body.apiKey },
    );
    expect({ status: fromRegister.status, code: fromRegister.body.code }).toEqual({ status: 403, code: 'forbidden' });
  });

  test('a sandbox has at most 16 endpoints', async () => {
    const own = await h.createSandbox();
    for (let i = 0; i < 16; i++) {
      const reply = await h.post('/v1/webhook-endpoints', { url: `https://example.com/h${i}`, events: ['*'] }, { token: own.secretKey });
      expect(reply.status).toBe(201);
    }
    const refused = await h.post('/v1/webhook-endpoints', { url: 'https://example.com/one-more', events: ['*'] }, { token: own.secretKey });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'limit_exceeded', limit: 'webhook_endpoints', max: 16 });
    expect((await h.get('/v1/webhook-endpoints?limit=100', { token: own.secretKey })).body.data).toHaveLength(16);
  });
});
