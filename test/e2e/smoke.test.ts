import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.close();
});

test('smoke', async () => {
  const sbx = await h.createSandbox();
  const wallet = await h.createWallet(sbx, 500);
  const r = await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sbx.secretKey });
  expect(r.body).toEqual({ id: wallet, balance: 500, available: 500 });
  await h.drain();
  expect(await h.brokenLedgers()).toEqual([]);
});
