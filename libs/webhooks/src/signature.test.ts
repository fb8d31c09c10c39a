import { createHmac } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { deliveryHeaders, verifySignature } from './signature.js';
import { newSigningSecret } from './signing-secrets.js';

const stripe = new Stripe('sk_test_unused');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'evt_01kaxq3m5v8c0000000000000000', object: 'event', type: 'wallet.funded', data: { amount: 1200 } });

describe('delivery headers', () => {
  test('match the Standard Webhooks reference signature', () => {
    const headers = deliveryHeaders({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('carry one id and one timestamp for both schemes, and verify with standardwebhooks and with Stripe', () => {
    const secret = newSigningSecret();
    const timestamp = nowSeconds();
    const headers = deliveryHeaders({ id: 'evt_01kaxq3m5v8c0000000000000000', timestamp, body, secrets: [secret] });
    expect(Object.keys(headers).sort()).toEqual(['Wallet-Signature', 'webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe('evt_01kaxq3m5v8c0000000000000000');
    expect(headers['webhook-timestamp']).toBe(String(timestamp));
    expect(headers['Wallet-Signature']).toBe(
      `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
    );
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(stripe.webhooks.constructEvent(body, headers['Wallet-Signature'], secret).id).toBe('evt_01kaxq3m5v8c0000000000000000');
    expect(verifySignature({ body, header: headers['Wallet-Signature'], secret, nowSeconds: timestamp }).ok).toBe(true);
  });

  test('during a rotation carry a signature per secret, the new one first, each verifying on its own', () => {
    const [next, previous] = [newSigningSecret(), newSigningSecret()];
    const timestamp = nowSeconds();
    const headers = deliveryHeaders({ id: 'evt_1', timestamp, body, secrets: [next, previous] });
    const [first, second] = headers['webhook-signature'].split(' ');
    expect(first).toBe(deliveryHeaders({ id: 'evt_1', timestamp, body, secrets: [next] })['webhook-signature']);
    expect(second).toBe(deliveryHeaders({ id: 'evt_1', timestamp, body, secrets: [previous] })['webhook-signature']);
    expect(headers['Wallet-Signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    for (const secret of [next, previous]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      expect(stripe.webhooks.constructEvent(body, headers['Wallet-Signature'], secret).type).toBe('wallet.funded');
    }
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow('No matching signature found');
  });

  test('sign the exact bytes: another body, id or timestamp does not verify', () => {
    const secret = newSigningSecret();
    const headers = deliveryHeaders({ id: 'evt_1', timestamp: nowSeconds(), body, secrets: [secret] });
    const tampered = body.replace('1200', '120000');
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow('No matching signature found');
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': later })).toThrow('No matching signature found');
    expect(() => stripe.webhooks.constructEvent(tampered, headers['Wallet-Signature'], secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  test('every secret the sandbox issues is one the Standard Webhooks libraries take', () => {
    for (let i = 0; i < 200; i++) {
      const secret = newSigningSecret();
      expect(secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
      expect(() => new Webhook(secret)).not.toThrow();
    }
  });

  test('refuse a secret that is not base64 after whsec_, and a delivery with no secret', () => {
    for (const secret of ['whsec_someone-else', 'whsec_', 'whsec_abc']) {
      expect(() => deliveryHeaders({ id: 'evt_1', timestamp: 1, body, secrets: [secret] })).toThrow('whsec_ followed by base64');
    }
    expect(() => deliveryHeaders({ id: 'evt_1', timestamp: 1, body, secrets: [] })).toThrow('at least one secret');
  });
});
