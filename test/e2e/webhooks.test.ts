import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Queues } from '#core';
import { RETRY_DELAYS_SECONDS, verifySignature } from '#webhooks';
import { AttemptDelivery } from '../../libs/webhooks/src/usecases/attempt-delivery.js';
import { newSigningSecret } from '../../libs/webhooks/src/signing-secrets.js';
import { AttemptQueue } from '../../libs/webhooks/src/usecases/attempt-queue.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';
import { type Received, Receiver } from '../support/receiver.js';

// A receiver that never answers is cut off after this long (10 s in production), so the timeout test waits little.
process.env.WEBHOOK_TIMEOUT_MS = '300';

const h = useHarness();
let receiver: Receiver;
let path = 0;

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver.close();
});

/** A new endpoint on its own path of the loopback receiver. */
async function endpoint(sandbox: SandboxKeys, events: string[] = ['wallet.funded']): Promise<{ id: string; secret: string; path: string }> {
  const own = `/hook-${++path}`;
  const reply = await h.post('/v1/webhook-endpoints', { url: `${receiver.url}${own}`, events }, { token: sandbox.secretKey });
  expect(reply.status).toBe(201);
  return { id: reply.body.id, secret: reply.body.secret, path: own };
}

async function advance(sandbox: SandboxKeys, seconds: number): Promise<void> {
  expect((await h.post('/v1/sandbox/clock/advance', { seconds }, { token: sandbox.secretKey })).status).toBe(200);
  await h.drain();
}

async function attempts(sandbox: SandboxKeys, eventId: string): Promise<any[]> {
  const reply = await h.get(`/v1/events/${eventId}/deliveries?limit=100`, { token: sandbox.secretKey });
  expect(reply.status).toBe(200);
  return reply.body.data.slice().reverse();
}

async function latestEvent(sandbox: SandboxKeys, type: string): Promise<any> {
  return (await h.get(`/v1/events?type=${type}&limit=1`, { token: sandbox.secretKey })).body.data[0];
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const stripe = new Stripe('sk_test_unused');

/** Whether a receiver verifying with the `standardwebhooks` package, and one verifying with Stripe's own, accept a delivery. */
function verifiedBy(request: Received, secret: string, body = request.body): { standardWebhooks: boolean; stripe: boolean } {
  const accepts = (verify: () => unknown): boolean => {
    try {
      verify();
      return true;
    } catch {
      return false;
    }
  };
  return {
    standardWebhooks: accepts(() => new Webhook(secret).verify(body, request.headers as Record<string, string>)),
    stripe: accepts(() => stripe.webhooks.constructEvent(body, String(request.headers['wallet-signature']), secret)),
  };
}

describe('signed deliveries', () => {
  test("an event arrives as the JSON of GET /v1/events/:id, signed in both schemes so Stripe's verifier and standardwebhooks accept it; a tampered body or a stale timestamp fails", async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    expect(hook.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    await h.createWallet(sandbox, 1_200);
    await h.drain();

    const [delivery] = receiver.at(hook.path);
    expect(receiver.at(hook.path)).toHaveLength(1);
    const event = await latestEvent(sandbox, 'wallet.funded');
    expect(delivery.body).toBe(JSON.stringify((await h.get(`/v1/events/${event.id}`, { token: sandbox.secretKey })).body));
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['wallet-event-id']).toBe(event.id);

    const header = String(delivery.headers['wallet-signature']);
    const [, t, v1] = header.match(/^t=(\d+),v1=([0-9a-f]{64})$/) ?? [];
    expect(Math.abs(Number(t) - nowSeconds())).toBeLessThan(60);
    expect(v1).toBe(createHmac('sha256', hook.secret).update(`${t}.${delivery.body}`).digest('hex'));
    expect(verifySignature({ body: delivery.body, header, secret: hook.secret, nowSeconds: nowSeconds() })).toEqual({
      ok: true,
      timestamp: Number(t),
    });

    const tampered = delivery.body.replace('"amount":1200', '"amount":120000');
    expect(tampered).not.toBe(delivery.body);
    expect(verifySignature({ body: tampered, header, secret: hook.secret, nowSeconds: nowSeconds() })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verifySignature({ body: delivery.body, header, secret: hook.secret, nowSeconds: Number(t) + 301 })).toEqual({
      ok: false,
      reason: 'timestamp_outside_tolerance',
    });
    expect(verifySignature({ body: delivery.body, header, secret: 'whsec_someone-else', nowSeconds: nowSeconds() }).ok).toBe(false);

    // The same delivery under Standard Webhooks: the event's id, the same seconds as `t`.
    expect(delivery.headers['webhook-id']).toBe(event.id);
    expect(delivery.headers['webhook-timestamp']).toBe(t);
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(hook.secret).verify(delivery.body, delivery.headers as Record<string, string>)).toEqual(event);
    expect(stripe.webhooks.constructEvent(delivery.body, header, hook.secret)).toEqual(event);
    expect(verifiedBy(delivery, hook.secret, tampered)).toEqual({ standardWebhooks: false, stripe: false });
    expect(verifiedBy(delivery, newSigningSecret())).toEqual({ standardWebhooks: false, stripe: false });

    // Only the subscribed type was sent; the log shows the one attempt.
    expect(JSON.parse(delivery.body).type).toBe('wallet.funded');
    expect(await attempts(sandbox, event.id)).toEqual([
      expect.objectContaining({
        object: 'webhook_delivery_attempt',
        endpointId: hook.id,
        url: `${receiver.url}${hook.path}`,
        trigger: 'automatic',
        attempt: 1,
        status: 'succeeded',
        httpStatus: 200,
        error: null,
        responseExcerpt: 'ok',
        nextAttemptAt: null,
        latencyMs: expect.any(Number),
      }),
    ]);
  });

  test('the secret is shown once and stored sealed', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox, ['*']);
    const shown = await h.get(`/v1/webhook-endpoints/${hook.id}`, { token: sandbox.secretKey });
    expect(shown.body).toMatchObject({ id: hook.id, object: 'webhook_endpoint', status: 'enabled', events: ['*'] });
    expect(shown.text).not.toContain('whsec_');
    const listed = await h.get('/v1/webhook-endpoints', { token: sandbox.secretKey });
    expect(listed.body.data.map((e: any) => e.id)).toEqual([hook.id]);
    expect(listed.text).not.toContain('whsec_');
    const rows = await h.db.rows(`SELECT * FROM webhook_endpoints WHERE id = $1`, [hook.id]);
    expect(JSON.stringify(rows)).not.toContain(hook.secret.slice(6));
  });
});

describe('cost', () => {
  test('an event no endpoint takes never becomes a webhook job', async () => {
    const webhookJob = (eventId: string) => h.api.get(Queues).get('webhooks').getJob(eventId);
    const bare = await h.createSandbox();
    await h.createWallet(bare, 100);
    const listening = await h.createSandbox();
    await endpoint(listening, ['store.created']);
    await h.createWallet(listening, 100);
    await h.post('/v1/stores', { name: 'Ueno' }, { token: listening.secretKey });
    await h.drain();

    expect(await webhookJob((await latestEvent(bare, 'wallet.funded')).id)).toBeUndefined();
    expect(await webhookJob((await latestEvent(listening, 'wallet.funded')).id)).toBeUndefined();
    expect(await webhookJob((await latestEvent(listening, 'store.created')).id)).toBeDefined();
  });
});

describe('retries', () => {
  test('a receiver answering 500 is retried on the schedule, in sandbox time; every attempt is logged; after three days the endpoint is disabled, saying so', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    receiver.answerWith((request) => (request.path === hook.path ? { status: 500, body: 'upstream broke' } : { status: 200 }));
    await h.createWallet(sandbox, 500);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');

    const [first] = await attempts(sandbox, event.id);
    expect(first).toMatchObject({ attempt: 1, status: 'failed', httpStatus: 500, error: 'http_status', responseExcerpt: 'upstream broke' });
    expect(Date.parse(first.nextAttemptAt) - Date.parse(first.createdAt)).toBe(60_000);

    // Not a moment early: 55 seconds on, nothing; at the minute, the second attempt.
    await advance(sandbox, 55);
    expect(receiver.at(hook.path)).toHaveLength(1);
    for (const [i, delay] of RETRY_DELAYS_SECONDS.entries()) {
      await advance(sandbox, i === 0 ? delay - 55 : delay);
      expect(receiver.at(hook.path)).toHaveLength(i + 2);
    }
    await advance(sandbox, 7 * 86_400);

    const log = await attempts(sandbox, event.id);
    expect(log.map((a) => [a.attempt, a.status, a.httpStatus])).toEqual(
      RETRY_DELAYS_SECONDS.concat(0).map((_, i) => [i + 1, 'failed', 500]),
    );
    for (const [i, delay] of RETRY_DELAYS_SECONDS.entries()) {
      expect(Date.parse(log[i].nextAttemptAt) - Date.parse(log[i].createdAt)).toBe(delay * 1000);
      expect(Date.parse(log[i + 1].createdAt)).toBeGreaterThanOrEqual(Date.parse(log[i].nextAttemptAt));
    }
    expect(log[8].nextAttemptAt).toBeNull();
    // Every retry sent the same bytes as the same message: one webhook-id, the event's; a fresh timestamp and signatures.
    const sent = receiver.at(hook.path);
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(sent.map((r) => r.headers['webhook-id'])).toEqual(sent.map(() => event.id));
    for (const request of sent) {
      expect(`t=${request.headers['webhook-timestamp']},`).toBe(String(request.headers['wallet-signature']).match(/^t=\d+,/)?.[0]);
      expect(verifiedBy(request, hook.secret)).toEqual({ standardWebhooks: true, stripe: true });
    }

    const disabled = await h.get(`/v1/webhook-endpoints/${hook.id}`, { token: sandbox.secretKey });
    expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'failing', failingSince: first.createdAt });
    expect((await latestEvent(sandbox, 'webhook_endpoint.disabled')).data).toEqual({
      endpointId: hook.id,
      url: `${receiver.url}${hook.path}`,
      reason: 'failing',
      failingSince: first.createdAt,
    });
    // Disabled: later events are not sent.
    await h.createWallet(sandbox, 100);
    await h.drain();
    expect(receiver.at(hook.path)).toHaveLength(9);
  });

  test('a receiver that does not answer in time is retried, and a success ends the retries', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    receiver.answerWith((request) => (request.path === hook.path && receiver.at(hook.path).length === 1 ? 'hang' : { status: 204 }));
    await h.createWallet(sandbox, 500);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');
    await advance(sandbox, 60);
    await advance(sandbox, 86_400);

    const log = await attempts(sandbox, event.id);
    expect(log).toEqual([
      expect.objectContaining({ attempt: 1, status: 'failed', httpStatus: null, error: 'timeout', nextAttemptAt: expect.any(String) }),
      expect.objectContaining({ attempt: 2, status: 'succeeded', httpStatus: 204, error: null, nextAttemptAt: null }),
    ]);
    expect(log[0].latencyMs).toBeGreaterThanOrEqual(290);
    expect(receiver.at(hook.path)).toHaveLength(2);
    const endpointNow = await h.get(`/v1/webhook-endpoints/${hook.id}`, { token: sandbox.secretKey });
    expect(endpointNow.body).toMatchObject({ status: 'enabled', failingSince: null });
  });
});

describe('deliveries that cannot get stuck', () => {
  test('an answer with NUL and bytes that are not UTF-8 is logged with U+FFFD in their place, and the attempt counts', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    receiver.answerWith((request) =>
      request.path === hook.path ? { status: 200, body: Buffer.from([0x6f, 0x6b, 0x00, 0xff, 0x21]) } : { status: 200 },
    );
    await h.createWallet(sandbox, 100);
    await h.drain();
    const [attempt] = await attempts(sandbox, (await latestEvent(sandbox, 'wallet.funded')).id);
    expect(attempt).toMatchObject({ attempt: 1, status: 'succeeded', httpStatus: 200, responseExcerpt: 'ok\uFFFD\uFFFD!' });
    expect(receiver.at(hook.path)).toHaveLength(1);
  });

  test('an attempt whose job failed for good in the queue is sent again by the next sweep', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    const attempt = h.worker!.get(AttemptDelivery);
    const execute = attempt.execute.bind(attempt);
    // The job fails and BullMQ keeps it under the attempt's job id, as it does once the retries are used up.
    const failing = jest.spyOn(attempt, 'execute').mockImplementation(async (sandboxId, ...rest) => {
      if (sandboxId === sandbox.id) throw new UnrecoverableError('the attempt could not be recorded');
      return execute(sandboxId, ...rest);
    });
    await h.createWallet(sandbox, 100);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');
    expect(receiver.at(hook.path)).toHaveLength(0);
    expect(await attempts(sandbox, event.id)).toEqual([]);

    failing.mockRestore();
    await h.worker!.get(AttemptQueue).enqueueDue(null);
    await h.drain();
    expect(receiver.at(hook.path)).toHaveLength(1);
    expect(await attempts(sandbox, event.id)).toEqual([expect.objectContaining({ attempt: 1, status: 'succeeded' })]);
  });
});

describe('what the sender will not do', () => {
  test('a redirect is not followed: the attempt fails and the Location is never requested', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    const elsewhere = `${receiver.url}/elsewhere`;
    receiver.answerWith((request) => (request.path === hook.path ? { status: 307, headers: { location: elsewhere } } : { status: 200 }));
    await h.createWallet(sandbox, 100);
    await h.drain();
    const [attempt] = await attempts(sandbox, (await latestEvent(sandbox, 'wallet.funded')).id);
    expect(attempt).toMatchObject({ status: 'failed', httpStatus: 307, error: 'redirect_not_followed' });
    expect(receiver.at('/elsewhere')).toEqual([]);
  });
});

describe('redelivery', () => {
  test('sends the same body again at once, to every subscribed endpoint or the one named, and logs it as manual', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    await h.createWallet(sandbox, 700);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');
    // An endpoint created after the event gets it only when named.
    const late = await endpoint(sandbox, ['*']);

    const all = await h.post(`/v1/events/${event.id}/redeliver`, undefined, { token: sandbox.secretKey });
    expect(all.status).toBe(202);
    expect(all.body.deliveries.map((d: any) => d.endpointId).sort()).toEqual([hook.id, late.id].sort());
    const one = await h.post(
      `/v1/events/${event.id}/redeliver`,
      { endpointId: late.id },
      { token: sandbox.secretKey, idempotencyKey: 'again-1' },
    );
    expect(one.body.deliveries).toEqual([{ id: expect.stringMatching(/^whd_/), endpointId: late.id, url: `${receiver.url}${late.path}` }]);
    const replay = await h.post(
      `/v1/events/${event.id}/redeliver`,
      { endpointId: late.id },
      { token: sandbox.secretKey, idempotencyKey: 'again-1' },
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await h.drain();

    const bodies = [...receiver.at(hook.path), ...receiver.at(late.path)].map((r) => r.body);
    expect(receiver.at(hook.path)).toHaveLength(2);
    expect(receiver.at(late.path)).toHaveLength(2);
    expect(new Set(bodies).size).toBe(1);
    for (const request of receiver.at(late.path)) {
      expect(
        verifySignature({
          body: request.body,
          header: String(request.headers['wallet-signature']),
          secret: late.secret,
          nowSeconds: nowSeconds(),
        }).ok,
      ).toBe(true);
      expect(verifiedBy(request, late.secret)).toEqual({ standardWebhooks: true, stripe: true });
    }
    // A redelivery is the same message again: the automatic delivery's webhook-id.
    expect([...receiver.at(hook.path), ...receiver.at(late.path)].map((r) => r.headers['webhook-id'])).toEqual([
      event.id,
      event.id,
      event.id,
      event.id,
    ]);
    const log = await attempts(sandbox, event.id);
    expect(log.map((a) => [a.endpointId, a.trigger, a.attempt, a.status])).toEqual(
      expect.arrayContaining([
        [hook.id, 'automatic', 1, 'succeeded'],
        [hook.id, 'manual', null, 'succeeded'],
        [late.id, 'manual', null, 'succeeded'],
        [late.id, 'manual', null, 'succeeded'],
      ]),
    );
    expect(log).toHaveLength(4);
  });

  test('a redelivery that gets through ends the automatic retries of a failing delivery', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    let broken = true;
    receiver.answerWith((request) => (request.path === hook.path && broken ? { status: 503 } : { status: 200 }));
    await h.createWallet(sandbox, 300);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');
    broken = false;
    await h.post(`/v1/events/${event.id}/redeliver`, { endpointId: hook.id }, { token: sandbox.secretKey });
    await h.drain();
    await advance(sandbox, 3 * 86_400);
    expect((await attempts(sandbox, event.id)).map((a) => [a.trigger, a.status])).toEqual([
      ['automatic', 'failed'],
      ['manual', 'succeeded'],
    ]);
  });

  test('refuses an unknown event, an unknown or disabled endpoint, and a malformed body, queueing nothing', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    await h.createWallet(sandbox, 100);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');
    const before = receiver.at(hook.path).length;
    const post = (path: string, body?: unknown) => h.post(path, body, { token: sandbox.secretKey });

    expect((await post('/v1/events/evt_00000000000000000000000000/redeliver')).body.code).toBe('not_found');
    expect((await post(`/v1/events/${event.id}/redeliver`, { endpointId: 'whe_00000000000000000000000000' })).body.code).toBe('not_found');
    expect((await post(`/v1/events/${event.id}/redeliver`, { endpointId: 'nope' })).body.code).toBe('invalid_request');
    expect((await post(`/v1/events/${event.id}/redeliver`, { endpoint: hook.id })).body.code).toBe('invalid_request');
    const disabled = await post(`/v1/webhook-endpoints/${hook.id}/disable`);
    expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'operator' });
    expect(await post(`/v1/events/${event.id}/redeliver`, { endpointId: hook.id })).toMatchObject({
      status: 409,
      body: { code: 'endpoint_disabled' },
    });
    expect((await post(`/v1/events/${event.id}/redeliver`)).body.deliveries).toEqual([]);
    await h.drain();
    expect(receiver.at(hook.path)).toHaveLength(before);
    expect((await latestEvent(sandbox, 'webhook_endpoint.disabled')).data).toMatchObject({ endpointId: hook.id, reason: 'operator' });
  });
});

describe('secret rotation', () => {
  test('during the overlap deliveries carry both signatures in both headers, the new first; after it, only the new secret signs', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    const rotated = await h.post(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, { overlapSeconds: 3_600 }, { token: sandbox.secretKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const clock = await h.get('/v1/sandbox/clock', { token: sandbox.secretKey });
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.parse(clock.body.now)).toBeGreaterThan(3_590_000);

    await h.createWallet(sandbox, 100);
    await h.drain();
    const during = receiver.at(hook.path)[0];
    const header = String(during.headers['wallet-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    for (const secret of [rotated.body.secret, hook.secret]) {
      expect(verifySignature({ body: during.body, header, secret, nowSeconds: nowSeconds() }).ok).toBe(true);
      expect(verifiedBy(during, secret)).toEqual({ standardWebhooks: true, stripe: true });
    }
    // Both headers list the new secret's signature first.
    const [t, newest] = header.split(',');
    const [standardNewest, standardPrevious] = String(during.headers['webhook-signature']).split(' ');
    expect(standardPrevious).toMatch(/^v1,/);
    const newestOnly = {
      ...during,
      headers: { ...during.headers, 'wallet-signature': `${t},${newest}`, 'webhook-signature': standardNewest },
    };
    expect(verifiedBy(newestOnly, rotated.body.secret)).toEqual({ standardWebhooks: true, stripe: true });

    await advance(sandbox, 3_601);
    expect((await h.get(`/v1/webhook-endpoints/${hook.id}`, { token: sandbox.secretKey })).body.previousSecretExpiresAt).toBeNull();
    await h.createWallet(sandbox, 100);
    await h.drain();
    const after = receiver.at(hook.path)[1];
    const single = String(after.headers['wallet-signature']);
    expect(single).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature({ body: after.body, header: single, secret: rotated.body.secret, nowSeconds: nowSeconds() }).ok).toBe(true);
    expect(verifySignature({ body: after.body, header: single, secret: hook.secret, nowSeconds: nowSeconds() })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(String(after.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifiedBy(after, rotated.body.secret)).toEqual({ standardWebhooks: true, stripe: true });
    expect(verifiedBy(after, hook.secret)).toEqual({ standardWebhooks: false, stripe: false });
  });
});

describe('endpoints', () => {
  test('deleting an endpoint stops its deliveries and keeps their log; a reset keeps endpoints and wipes the log', async () => {
    const sandbox = await h.createSandbox();
    const kept = await endpoint(sandbox);
    const removed = await endpoint(sandbox);
    await h.createWallet(sandbox, 100);
    await h.drain();
    const event = await latestEvent(sandbox, 'wallet.funded');
    expect((await h.request('DELETE', `/v1/webhook-endpoints/${removed.id}`, undefined, { token: sandbox.secretKey })).status).toBe(204);
    expect((await h.get(`/v1/webhook-endpoints/${removed.id}`, { token: sandbox.secretKey })).status).toBe(404);
    await h.createWallet(sandbox, 100);
    await h.drain();
    expect(receiver.at(removed.path)).toHaveLength(1);
    expect(receiver.at(kept.path)).toHaveLength(2);
    expect(await attempts(sandbox, event.id)).toHaveLength(2);

    await h.post('/v1/sandbox/reset', undefined, { token: sandbox.secretKey });
    await h.drain();
    expect((await h.get('/v1/webhook-endpoints', { token: sandbox.secretKey })).body.data.map((e: any) => e.id)).toEqual([kept.id]);
    const [{ n }] = await h.db.rows<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_attempts WHERE sandbox_id = $1`, [sandbox.id]);
    expect(n).toBe(0);
  });

  test('an endpoint enabled again takes the events from then on, not those it missed while disabled', async () => {
    const sandbox = await h.createSandbox();
    const hook = await endpoint(sandbox);
    const secret = { token: sandbox.secretKey };
    expect((await h.post(`/v1/webhook-endpoints/${hook.id}/disable`, undefined, secret)).body).toMatchObject({ status: 'disabled' });
    await h.createWallet(sandbox, 100);
    await h.drain();
    const missed = await latestEvent(sandbox, 'wallet.funded');

    const enabled = await h.post(`/v1/webhook-endpoints/${hook.id}/enable`, undefined, secret);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ id: hook.id, status: 'enabled', disabledReason: null, failingSince: null });
    expect((await h.get(`/v1/webhook-endpoints/${hook.id}`, secret)).body.status).toBe('enabled');
    await h.createWallet(sandbox, 200);
    await h.drain();

    const sent = receiver.at(hook.path).map((request) => JSON.parse(request.body));
    expect(sent.map((event) => [event.type, event.data.amount])).toEqual([['wallet.funded', 200]]);
    expect(sent[0].id).not.toBe(missed.id);
  });

  test('another sandbox cannot see, change or use an endpoint (404)', async () => {
    const mine = await h.createSandbox();
    const theirs = await h.createSandbox();
    const hook = await endpoint(mine);
    const token = { token: theirs.secretKey };
    expect((await h.get(`/v1/webhook-endpoints/${hook.id}`, token)).status).toBe(404);
    expect((await h.post(`/v1/webhook-endpoints/${hook.id}/disable`, undefined, token)).status).toBe(404);
    expect((await h.post(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, {}, token)).status).toBe(404);
    expect((await h.request('DELETE', `/v1/webhook-endpoints/${hook.id}`, undefined, token)).status).toBe(404);
    expect((await h.get('/v1/webhook-endpoints', token)).body.data).toEqual([]);
    expect((await h.get(`/v1/webhook-endpoints/${hook.id}`, { token: mine.secretKey })).body.status).toBe('enabled');
  });
});
