import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SealedData, Secrets, validateEnvironment } from '#core';
import { Customers } from '../support/customers.js';
import { useHarness } from '../support/harness.js';
import { BANK, fileForWallet, openRefundWindow } from '../support/refund-window.js';

const h = useHarness();

/** The keys of a deployment that moved from the api's SECRETS_KEY to `current`. */
const keys = (current: string, previous?: string): Secrets =>
  new Secrets(validateEnvironment({ ...process.env, SECRETS_KEY: current, SECRETS_KEY_PREVIOUS: previous ?? '' }));

describe('key rotation', () => {
  test('every sealed column is re-sealed under the new key through its module, and what it held still opens', async () => {
    const sandbox = await h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const row = (id: string) => ({ sandboxId: sandbox.id, id });

    // A customer with an authenticator seed and a live payment code.
    const { userId, walletId, tokens } = await new Customers(h, sandbox).onboard();
    await h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 5_000 }, secret);
    const totp = (await h.post('/v1/auth/totp', undefined, { token: tokens.accessToken })).body.secret as string;
    const code = (await h.post('/v1/payment-codes', undefined, { token: tokens.accessToken })).body;
    // A webhook endpoint whose secret was rolled: the current and the previous secret are both sealed.
    const endpoint = (await h.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['wallet.funded'] }, secret)).body;
    const rolled = (await h.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {}, secret)).body;
    // A refund claim paid by bank transfer, in a sandbox whose service has ended.
    const ended = await h.createSandbox();
    const claimWallet = await h.createWallet(ended, 2_000);
    await openRefundWindow(h, ended);
    const claim = { id: await fileForWallet(h, ended, claimWallet, { method: 'bank_transfer', bankAccount: BANK }), sandboxId: ended.id };
    // An idempotent response.
    const funded = await h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 100 }, { ...secret, idempotencyKey: 'rotate-1' });

    const oldKey = process.env.SECRETS_KEY as string;
    const newKey = randomBytes(32).toString('base64');
    const sealed = async () => ({
      totp: (
        await h.db.rows<{ v: string }>(`SELECT totp_secret AS v FROM identity_users WHERE sandbox_id = $1 AND id = $2`, [
          sandbox.id,
          userId,
        ])
      )[0].v,
      code: (
        await h.db.rows<{ v: string }>(`SELECT sealed_code AS v FROM barcode_payment_codes WHERE sandbox_id = $1 AND id = $2`, [
          sandbox.id,
          code.id,
        ])
      )[0].v,
      ...(
        await h.db.rows<{ secret: string; previous: string }>(
          `SELECT secret_sealed AS secret, previous_secret_sealed AS previous FROM webhook_endpoints WHERE sandbox_id = $1 AND id = $2`,
          [sandbox.id, endpoint.id],
        )
      )[0],
      bank: (
        await h.db.rows<{ v: string }>(`SELECT bank_account AS v FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND id = $2`, [
          claim.sandboxId,
          claim.id,
        ])
      )[0].v,
      response: (await idempotent()).v,
    });
    const idempotent = async () =>
      (
        await h.db.rows<{ v: string; record: string }>(
          `SELECT response_body AS v, principal || E'\\n' || key AS record FROM idempotency_keys WHERE sandbox_id = $1 AND key = 'rotate-1'`,
          [sandbox.id],
        )
      )[0];
    const before = await sealed();
    const rotated = keys(newKey, oldKey);
    try {
      const reports = await h.api.get(SealedData).resealAll(rotated);
      expect(reports.map((r) => r.column).sort()).toEqual(
        [
          'TOTP seeds',
          'payment codes',
          'webhook signing secrets',
          'previous webhook signing secrets',
          'refund bank accounts',
          'idempotent responses',
        ].sort(),
      );
      for (const report of reports) {
        expect(report).toMatchObject({ unopenable: [] });
        expect(report.resealed).toBeGreaterThan(0);
      }

      const after = await sealed();
      for (const name of Object.keys(before) as (keyof typeof before)[]) {
        expect(after[name]).not.toBe(before[name]);
        expect(after[name].startsWith(`v1.${rotated.keyId}.`)).toBe(true);
      }
      // The new key alone opens everything: the old one may go.
      const onlyNew = keys(newKey);
      expect(onlyNew.open('totp', row(userId), after.totp)).toBe(totp);
      expect(onlyNew.open('payment-code', row(code.id), after.code)).toBe(code.code);
      expect(onlyNew.open('webhook-signing-secret', row(endpoint.id), after.secret)).toBe(rolled.secret);
      expect(onlyNew.open('webhook-signing-secret', row(endpoint.id), after.previous)).toBe(endpoint.secret);
      expect(JSON.parse(onlyNew.open('refund-bank-account', claim, after.bank))).toEqual(BANK);
      expect(onlyNew.open('idempotency-response', row((await idempotent()).record), after.response)).toBe(funded.text);

      // Run again: nothing left to do.
      const again = await h.api.get(SealedData).resealAll(rotated);
      for (const report of again) expect(report.resealed).toBe(0);
    } finally {
      // Back to the api's own key, which is a rotation too.
      const back = await h.api.get(SealedData).resealAll(keys(oldKey, newKey));
      for (const report of back) expect(report.unopenable).toEqual([]);
    }
    // The api, on its own key again, still replays and signs as before.
    const replay = await h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 100 }, { ...secret, idempotencyKey: 'rotate-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(funded.text);
    expect((await h.get(`/v1/payment-codes/${code.id}/qr.svg`, { token: tokens.accessToken })).status).toBe(200);
  });
});
