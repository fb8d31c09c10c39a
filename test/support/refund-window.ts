import { expect } from '@jest/globals';
import type { Harness, SandboxKeys } from './harness.js';

const DAY_MS = 86_400_000;

/** A bank account that is paid, and the one the sandbox's bank refuses (docs/lifecycle-and-refunds.md: a transfer to 0000404 bounces). */
export const BANK = { bankCode: '0005', branchCode: '251', accountNumber: '1234567', holder: 'ヤマダ ハナコ' };
export const BOUNCING = { ...BANK, accountNumber: '0000404' };

/** Announces abolition with the service ending in a day and claims open 79 days, then moves the clock past the end. */
export async function openRefundWindow(h: Harness, sandbox: SandboxKeys): Promise<void> {
  const secret = { token: sandbox.secretKey };
  const now = new Date((await h.get('/v1/sandbox/clock', secret)).body.now).getTime();
  const announced = await h.post(
    '/v1/service/transitions',
    {
      to: 'abolition_announced',
      terminationAt: new Date(now + DAY_MS).toISOString(),
      refundClaimsUntil: new Date(now + 80 * DAY_MS).toISOString(),
    },
    secret,
  );
  expect(announced.status).toBe(201);
  await h.drain();
  expect((await h.post('/v1/sandbox/clock/advance', { seconds: DAY_MS / 1000 + 60 }, secret)).status).toBe(200);
  await h.drain();
  expect((await h.get('/v1/service', secret)).body.phase).toBe('refund_window');
}

/** The operator files a claim for a wallet; its id. */
export async function fileForWallet(h: Harness, sandbox: SandboxKeys, walletId: string, body: Record<string, unknown>): Promise<string> {
  const filed = await h.post('/v1/refund-claims', { walletId, ...body }, { token: sandbox.secretKey });
  expect(filed.status).toBe(201);
  return filed.body.id;
}
