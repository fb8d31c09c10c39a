import { describe, expect, test } from '@jest/globals';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { crc16, isValidPaymentCode, parseCpm, parseMpm } from '#barcode';
import { Customers, type Tokens } from '../support/customers.js';
import type { Schemas } from '@wallet-sandbox/client';
import { answered, useHarness, type SandboxKeys } from '../support/harness.js';

// jsqr is CommonJS whose typings declare an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const h = useHarness();

interface Shop {
  sandbox: SandboxKeys;
  storeId: string;
  storeKey: string;
}

async function shop(sandbox?: SandboxKeys, name = 'Seven Ginza'): Promise<Shop> {
  const s = sandbox ?? (await h.createSandbox());
  const store = await h.post('/v1/stores', { name, categoryCode: '5411', city: 'Tokyo' }, { token: s.secretKey });
  expect(store.status).toBe(201);
  expect(store.body.apiKey).toMatch(/^stk_test_[0-9A-Za-z]{32}$/);
  return { sandbox: s, storeId: store.body.id, storeKey: store.body.apiKey };
}

/** A customer signed in on their phone with a funded wallet. */
async function customer(sandbox: SandboxKeys, balance: number): Promise<{ walletId: string; tokens: Tokens }> {
  const onboarded = await new Customers(h, sandbox).onboard();
  if (balance > 0) await h.fundWallet(sandbox, onboarded.walletId, balance);
  return { walletId: onboarded.walletId, tokens: onboarded.tokens };
}

const newCode = (tokens: Tokens) => answered(h.client({ token: tokens.accessToken }).POST('/v1/payment-codes'), 'issuing a payment code');

const pay = (s: Shop, body: Record<string, unknown>) => h.post('/v1/payments', body, { token: s.storeKey });
/** The api as the sandbox's operator and as the shop's register. */
const operatorOf = (s: Shop) => h.client({ token: s.sandbox.secretKey });
const registerOf = (s: Shop) => h.client({ token: s.storeKey });
/** What the sandbox's events of one type said, newest first. */
const eventsOf = async (s: Shop, type: Schemas['EventDto']['type']) =>
  (await answered(operatorOf(s).GET('/v1/events', { params: { query: { type } } }), 'listing events')).data.map((e) => e.data);
const balanceOf = (s: Shop, walletId: string) =>
  answered(operatorOf(s).GET('/v1/sandbox/wallets/{walletId}', { params: { path: { walletId } } }), 'reading a wallet');
const advanceClock = (s: Shop, seconds: number) =>
  answered(operatorOf(s).POST('/v1/sandbox/clock/advance', { body: { seconds } }), 'advancing the clock');
const paymentOf = (s: Shop, id: string) =>
  answered(registerOf(s).GET('/v1/payments/{id}', { params: { path: { id } } }), 'reading a payment');

describe('payment codes', () => {
  test('are 22 digits with the provider prefix and a check digit, valid 5 minutes, rendered as QR and Code 128', async () => {
    const s = await shop();
    const { tokens } = await customer(s.sandbox, 0);
    const issued = await newCode(tokens);
    expect(issued.code).toMatch(/^79\d{20}$/);
    expect(isValidPaymentCode(issued.code)).toBe(true);
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(290_000);

    const png = await fetch(`${h.url}/v1/payment-codes/${issued.id}/qr.png`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(issued.code);

    const emv = await fetch(`${h.url}/v1/payment-codes/${issued.id}/qr.png?format=emv`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    const emvImage = PNG.sync.read(Buffer.from(await emv.arrayBuffer()));
    expect(parseCpm(jsQR(new Uint8ClampedArray(emvImage.data), emvImage.width, emvImage.height)!.data)).toBe(issued.code);

    const svg = await h.get(`/v1/payment-codes/${issued.id}/qr.svg`, { token: tokens.accessToken });
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.text).toMatch(/^<svg/);
    const barcode = await h.get(`/v1/payment-codes/${issued.id}/barcode.svg`, { token: tokens.accessToken });
    expect(barcode.text).toContain('<svg');

    const stored = await h.db.rows(`SELECT * FROM barcode_payment_codes WHERE id = $1`, [issued.id]);
    expect(JSON.stringify(stored)).not.toContain(issued.code);
  });

  test('a new code retires the previous one; a used code cannot be rendered again', async () => {
    const s = await shop();
    const { tokens } = await customer(s.sandbox, 5_000);
    const first = await newCode(tokens);
    const second = await newCode(tokens);
    expect((await pay(s, { code: first.code, amount: 100 })).body.code).toBe('code_invalid');
    expect((await pay(s, { code: second.code, amount: 100 })).status).toBe(201);
    expect((await h.get(`/v1/payment-codes/${second.id}/qr.svg`, { token: tokens.accessToken })).body.code).toBe('code_used');
  });
});

describe('capture', () => {
  test('moves the amount from the wallet to the store and tells the world', async () => {
    const s = await shop();
    const { walletId, tokens } = await customer(s.sandbox, 10_000);
    const { code } = await newCode(tokens);
    const reply = await pay(s, { code, amount: 1_200, orderRef: 'R-0001', category: 'groceries' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ status: 'captured', amount: 1_200, cashDue: 0, walletId, storeId: s.storeId, orderRef: 'R-0001' });
    expect(await balanceOf(s, walletId)).toMatchObject({ balance: 8_800 });
    expect(await paymentOf(s, reply.body.id)).toEqual(reply.body);
    await h.drain();
    const [captured] = await eventsOf(s, 'payment.captured');
    expect(captured).toMatchObject({
      paymentId: reply.body.id,
      amount: 1_200,
      walletId,
      storeId: s.storeId,
      category: 'groceries',
    });
    const tx = await h.get('/v1/wallet/transactions', { token: tokens.accessToken });
    expect(tx.body.data[0]).toMatchObject({ type: 'payment', amount: -1_200, reference: { paymentId: reply.body.id } });
    expect((await h.get('/v1/wallet', { token: tokens.accessToken })).body).toMatchObject({
      id: walletId,
      balance: 8_800,
      status: 'active',
    });
  });

  test('100 registers scanning one code at once: exactly one captures, 99 get code_used', async () => {
    const s = await shop();
    const others = await Promise.all(Array.from({ length: 4 }, (_, i) => shop(s.sandbox, `Seven ${i}`)));
    const registers = [s, ...others];
    const { walletId, tokens } = await customer(s.sandbox, 50_000);
    const { code } = await newCode(tokens);
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => pay(registers[i % registers.length], { code, amount: 700 })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.body.code === 'code_used')).toHaveLength(99);
    expect((await balanceOf(s, walletId)).balance).toBe(49_300);
  });

  test('a code expires after 5 minutes of sandbox time; another sandbox cannot use it', async () => {
    const s = await shop();
    const other = await shop();
    const { tokens } = await customer(s.sandbox, 5_000);
    const { code } = await newCode(tokens);
    expect((await pay(other, { code, amount: 100 })).body.code).toBe('code_invalid');
    await advanceClock(s, 301);
    expect((await pay(s, { code, amount: 100 })).body.code).toBe('code_expired');
  });

  test('a short balance is refused and the code stays usable; allowPartial pays what is there and leaves the rest in cash', async () => {
    const s = await shop();
    const { walletId, tokens } = await customer(s.sandbox, 500);
    const { code } = await newCode(tokens);
    const refused = await pay(s, { code, amount: 1_200 });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ code: 'insufficient_balance', available: 500 });
    const partial = await pay(s, { code, amount: 1_200, allowPartial: true });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ status: 'captured', amount: 500, requestedAmount: 1_200, cashDue: 700 });
    expect((await balanceOf(s, walletId)).balance).toBe(0);
  });

  test('the per-payment limit answers limit_exceeded naming it', async () => {
    const s = await shop();
    const { tokens } = await customer(s.sandbox, 0);
    const { code } = await newCode(tokens);
    const reply = await pay(s, { code, amount: 500_001 });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ code: 'limit_exceeded', limit: 'max_payment_amount' });
  });
});

describe('pre-authorisation', () => {
  async function authorized(amount: number) {
    const s = await shop();
    const { walletId, tokens } = await customer(s.sandbox, 10_000);
    const { code } = await newCode(tokens);
    const reply = await pay(s, { code, amount, capture: false });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ status: 'authorized', amount, capturedAmount: 0, expiresAt: expect.any(String) });
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 10_000, available: 10_000 - amount });
    return { s, walletId, id: reply.body.id as string };
  }

  test('captures up to the authorised amount once; the rest is released; void after capture is refused', async () => {
    const { s, walletId, id } = await authorized(3_000);
    expect((await h.post(`/v1/payments/${id}/capture`, { amount: 3_001 }, { token: s.storeKey })).status).toBe(422);
    const captured = await h.post(`/v1/payments/${id}/capture`, { amount: 2_400 }, { token: s.storeKey });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'captured', amount: 2_400, capturedAmount: 2_400 });
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 7_600, available: 7_600 });
    expect((await h.post(`/v1/payments/${id}/capture`, {}, { token: s.storeKey })).body.code).toBe('invalid_payment_state');
    expect((await h.post(`/v1/payments/${id}/void`, undefined, { token: s.storeKey })).body.code).toBe('invalid_payment_state');
  });

  test('a void releases the hold once; capture after void is refused', async () => {
    const { s, walletId, id } = await authorized(2_000);
    const voided = await h.post(`/v1/payments/${id}/void`, undefined, { token: s.storeKey });
    expect(voided.body.status).toBe('voided');
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 10_000, available: 10_000 });
    expect((await h.post(`/v1/payments/${id}/void`, undefined, { token: s.storeKey })).body.code).toBe('invalid_payment_state');
    expect((await h.post(`/v1/payments/${id}/capture`, {}, { token: s.storeKey })).body.code).toBe('invalid_payment_state');
    expect(await eventsOf(s, 'payment.authorized')).toEqual([
      expect.objectContaining({ paymentId: id, walletId, status: 'authorized', amount: 2_000, expiresAt: expect.any(String) }),
    ]);
    expect(await eventsOf(s, 'payment.voided')).toEqual([
      expect.objectContaining({ paymentId: id, walletId, status: 'voided', amount: 2_000 }),
    ]);
  });

  test("a held wallet's authorization is not captured (wallet_on_hold) and changes nothing; it can still be voided", async () => {
    const { s, walletId, id } = await authorized(2_500);
    const placed = await h.post('/v1/holds', { walletId, reason: 'customer reports a takeover' }, { token: s.sandbox.secretKey });
    expect(placed.status).toBe(201);
    await h.drain();
    const refused = await h.post(`/v1/payments/${id}/capture`, {}, { token: s.storeKey });
    expect([refused.status, refused.body.code]).toEqual([403, 'wallet_on_hold']);
    expect((await paymentOf(s, id)).status).toBe('authorized');
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 10_000, available: 7_500 });
    expect((await h.post(`/v1/payments/${id}/void`, undefined, { token: s.storeKey })).body.status).toBe('voided');
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 10_000, available: 10_000 });
  });

  test('once the service terminated an authorization is not captured (service_suspended); it can still be voided', async () => {
    const { s, walletId, id } = await authorized(1_000);
    const secret = { token: s.sandbox.secretKey };
    const now = Date.parse((await answered(operatorOf(s).GET('/v1/sandbox/clock'), 'reading the clock')).now);
    const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
    const announced = await h.post(
      '/v1/service/transitions',
      { to: 'abolition_announced', terminationAt: at(1), refundClaimsFrom: at(24), refundClaimsUntil: at(24 * 70) },
      secret,
    );
    expect(announced.status).toBe(201);
    await advanceClock(s, 3_601);
    await h.drain();
    const refused = await h.post(`/v1/payments/${id}/capture`, {}, { token: s.storeKey });
    expect([refused.status, refused.body]).toEqual([403, expect.objectContaining({ code: 'service_suspended', phase: 'terminated' })]);
    expect((await h.post(`/v1/payments/${id}/void`, undefined, { token: s.storeKey })).body.status).toBe('voided');
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 10_000, available: 10_000 });
  });

  test('after 7 days of sandbox time the authorization expires: capture is refused and the worker releases the hold', async () => {
    const { s, walletId, id } = await authorized(1_500);
    await advanceClock(s, 7 * 86_400 + 1);
    expect((await h.post(`/v1/payments/${id}/capture`, {}, { token: s.storeKey })).body.code).toBe('authorization_expired');
    await h.drain();
    expect((await paymentOf(s, id)).status).toBe('expired');
    expect(await balanceOf(s, walletId)).toEqual({ id: walletId, balance: 10_000, available: 10_000 });
    expect((await eventsOf(s, 'payment.expired')).map((data) => data.paymentId)).toEqual([id]);
  });
});

describe('refunds', () => {
  test('full or partial, several, never beyond what was captured, only by the store that took the payment', async () => {
    const s = await shop();
    const rival = await shop(s.sandbox, 'Rival');
    const { walletId, tokens } = await customer(s.sandbox, 10_000);
    const { code } = await newCode(tokens);
    const payment = (await pay(s, { code, amount: 3_000 })).body;
    const refund = (amount?: number, key = s.storeKey) =>
      h.post(`/v1/payments/${payment.id}/refunds`, amount === undefined ? {} : { amount }, { token: key });

    expect((await refund(500, rival.storeKey)).status).toBe(404);
    const first = await refund(1_000);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^ref_/), paymentId: payment.id, amount: 1_000 });
    expect((await refund(2_001)).body.code).toBe('amount_exceeds_refundable');
    expect((await refund()).body).toMatchObject({ amount: 2_000, refundedTotal: 3_000 });
    expect((await refund(1)).body.code).toBe('amount_exceeds_refundable');
    expect((await balanceOf(s, walletId)).balance).toBe(10_000);
    expect(await eventsOf(s, 'payment.refunded')).toEqual([
      expect.objectContaining({
        paymentId: payment.id,
        walletId,
        refundId: expect.stringMatching(/^ref_/),
        refundAmount: 2_000,
        refundedTotal: 3_000,
      }),
      expect.objectContaining({ paymentId: payment.id, walletId, refundId: first.body.id, refundAmount: 1_000, refundedTotal: 1_000 }),
    ]);
    expect(await paymentOf(s, payment.id)).toMatchObject({
      capturedAmount: 3_000,
      refundedAmount: 3_000,
    });
  });
});

describe('store-presented codes (EMVCo MPM)', () => {
  test('a dynamic code carries the amount and a valid CRC, and is paid once', async () => {
    const s = await shop();
    const { walletId, tokens } = await customer(s.sandbox, 5_000);
    const issued = await h.post('/v1/store-codes', { amount: 880 }, { token: s.storeKey });
    expect(issued.status).toBe(201);
    const payload: string = issued.body.payload;
    expect(crc16(payload.slice(0, -4))).toBe(payload.slice(-4));
    expect(parseMpm(payload)).toMatchObject({
      storeId: s.storeId,
      amount: 880,
      merchantName: 'Seven Ginza',
      merchantCity: 'Tokyo',
      categoryCode: '5411',
    });
    expect(payload).toContain('5303392');
    expect(payload).toContain('5802JP');

    const paid = await h.post('/v1/wallet/pay-store-code', { payload }, { token: tokens.accessToken });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: 'captured', amount: 880, method: 'mpm', storeId: s.storeId, walletId });
    expect((await h.post('/v1/wallet/pay-store-code', { payload }, { token: tokens.accessToken })).body.code).toBe('code_used');
    expect((await balanceOf(s, walletId)).balance).toBe(4_120);
  });

  test('a static code needs the amount from the customer and can be paid again; a tampered payload is refused', async () => {
    const s = await shop();
    const { tokens } = await customer(s.sandbox, 5_000);
    const { payload } = (await h.post('/v1/store-codes', {}, { token: s.storeKey })).body;
    expect((await h.post('/v1/wallet/pay-store-code', { payload }, { token: tokens.accessToken })).status).toBe(400);
    expect((await h.post('/v1/wallet/pay-store-code', { payload, amount: 300 }, { token: tokens.accessToken })).status).toBe(201);
    expect((await h.post('/v1/wallet/pay-store-code', { payload, amount: 200 }, { token: tokens.accessToken })).status).toBe(201);
    const tampered = payload.replace('Seven Ginza', 'Seven Ginzb');
    expect((await h.post('/v1/wallet/pay-store-code', { payload: tampered, amount: 100 }, { token: tokens.accessToken })).body.code).toBe(
      'code_invalid',
    );
  });

  test('Japanese store and terminal names as long as allowed fit the payload, clipped to whole characters, and it pays', async () => {
    const storeName = 'セブン‐イレブン東京駅八重洲北口一番街地下店舗'.repeat(2);
    const s = await shop(undefined, storeName);
    const terminalName = 'セブンイレブン銀座一丁目店の二番レジ横セルフ端末機'; // 25 characters, 75 UTF-8 bytes
    const terminal = await h.post(`/v1/stores/${s.storeId}/terminals`, { name: terminalName }, { token: s.sandbox.secretKey });
    expect(terminal.status).toBe(201);
    const issued = await h.post('/v1/store-codes', { amount: 500, terminalId: terminal.body.id }, { token: s.storeKey });
    expect(issued.status).toBe(201);
    expect(parseMpm(issued.body.payload)).toMatchObject({
      storeId: s.storeId,
      storeCodeId: issued.body.id,
      merchantName: [...storeName].slice(0, 25).join(''),
      terminalLabel: terminalName,
      amount: 500,
    });
    const { tokens } = await customer(s.sandbox, 1_000);
    const paid = await h.post('/v1/wallet/pay-store-code', { payload: issued.body.payload }, { token: tokens.accessToken });
    expect(paid.body).toMatchObject({ status: 'captured', amount: 500, terminalId: terminal.body.id });
  });
});

describe('step-up allowance', () => {
  /** A customer whose sign-in second factor is more than 10 minutes old, in a sandbox with a ¥5,000 allowance. */
  async function unverified(allowance: number | null = 5_000, balance = 50_000) {
    const s = await shop(await h.createSandbox(undefined, { stepUpAllowance: allowance }));
    const customers = new Customers(h, s.sandbox);
    const { who, walletId, tokens } = await customers.onboard();
    await h.fundWallet(s.sandbox, walletId, balance);
    await advanceClock(s, 11 * 60);
    const payStoreCode = async (amount: number) => {
      const { payload } = (await h.post('/v1/store-codes', { amount }, { token: s.storeKey })).body;
      return h.post('/v1/wallet/pay-store-code', { payload }, { token: tokens.accessToken });
    };
    return { s, customers, who, walletId, tokens, payStoreCode };
  }

  test('a code shown without a recent second factor pays only what is left of the allowance; beyond it, step-up first', async () => {
    const { s, customers, who, walletId, tokens } = await unverified();
    const first = await newCode(tokens);
    expect(first.payableWithoutStepUp).toBe(5_000);
    const tooMuch = await pay(s, { code: first.code, amount: 6_000 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'limit_exceeded', limit: 'step_up_allowance', max: 5_000 });
    expect((await balanceOf(s, walletId)).balance).toBe(50_000);
    // The refused scan leaves the code usable within the allowance.
    expect((await pay(s, { code: first.code, amount: 3_000 })).status).toBe(201);

    expect((await newCode(tokens)).payableWithoutStepUp).toBe(2_000);
    expect((await pay(s, { code: (await newCode(tokens)).code, amount: 2_000 })).status).toBe(201);
    const exhausted = await h.post('/v1/payment-codes', undefined, { token: tokens.accessToken });
    expect(exhausted.status).toBe(403);
    expect(exhausted.body.code).toBe('step_up_required');

    const stepped = await customers.stepUp(who, tokens.accessToken, () =>
      h.post('/v1/payment-codes', undefined, { token: tokens.accessToken }),
    );
    expect(stepped.status).toBe(201);
    expect(stepped.body.payableWithoutStepUp).toBeNull();
    expect((await pay(s, { code: stepped.body.code, amount: 20_000 })).status).toBe(201);
    expect((await balanceOf(s, walletId)).balance).toBe(25_000);
  });

  test('a store-QR payment beyond the allowance asks for a second factor first and moves nothing until then', async () => {
    const { s, customers, who, walletId, tokens, payStoreCode } = await unverified();
    expect((await payStoreCode(4_000)).status).toBe(201);
    const refused = await payStoreCode(1_500);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'step_up_required', method: 'sms' });
    expect((await balanceOf(s, walletId)).balance).toBe(46_000);
    const paid = await customers.stepUp(who, tokens.accessToken, () => payStoreCode(1_500));
    expect(paid.status).toBe(201);
    expect((await balanceOf(s, walletId)).balance).toBe(44_500);
  });

  test('a customer may pass the second factor before paying: POST /v1/auth/step-up, then a code without the limit', async () => {
    const { s, customers, who, tokens } = await unverified();
    const asked = await h.post('/v1/auth/step-up', undefined, { token: tokens.accessToken });
    expect(asked.status).toBe(403);
    expect(asked.body).toMatchObject({ code: 'step_up_required', method: 'sms' });
    const stepped = await customers.stepUp(who, tokens.accessToken, () =>
      h.post('/v1/auth/step-up', undefined, { token: tokens.accessToken }),
    );
    expect(stepped.status).toBe(200);
    const now = Date.parse((await answered(operatorOf(s).GET('/v1/sandbox/clock'), 'reading the clock')).now);
    expect(Date.parse(stepped.body.steppedUpUntil) - now).toBeGreaterThan(590_000);
    const code = await newCode(tokens);
    expect(code.payableWithoutStepUp).toBeNull();
    expect((await pay(s, { code: code.code, amount: 45_000 })).status).toBe(201);
  });

  test('two payments racing for the last of the allowance: exactly one is taken', async () => {
    const { s, walletId, tokens, payStoreCode } = await unverified();
    const answers = await Promise.all([payStoreCode(3_000), payStoreCode(3_000), payStoreCode(3_000)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403, 403]);
    // A register scanning a code while the wallet pays a store's QR: the yen left go to one of them.
    const { code } = await newCode(tokens);
    const [scanned, qr] = await Promise.all([pay(s, { code, amount: 1_500 }), payStoreCode(1_500)]);
    expect([scanned.status, qr.status]).toEqual(scanned.status === 201 ? [201, 403] : [422, 201]);
    expect((await balanceOf(s, walletId)).balance).toBe(45_500);
  });

  test('payments older than 24 hours of sandbox time no longer count', async () => {
    const { s, tokens, payStoreCode } = await unverified();
    expect((await payStoreCode(5_000)).status).toBe(201);
    expect((await h.post('/v1/payment-codes', undefined, { token: tokens.accessToken })).body.code).toBe('step_up_required');
    await advanceClock(s, 24 * 60 * 60);
    const renewed = await answered(
      h.client({ publishableKey: s.sandbox.publishableKey }).POST('/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
      'refreshing',
    );
    expect((await newCode(renewed as Tokens)).payableWithoutStepUp).toBe(5_000);
  });

  test('new sandboxes default to ¥30,000 (legacy-2019 to none, as it asks no second factor); null turns it off', async () => {
    const created = await h.createSandbox();
    expect(created.stepUpAllowance).toBe(30_000);
    const seen = await answered(h.client({ token: created.secretKey }).GET('/v1/sandbox'), 'reading the sandbox');
    expect(seen.stepUpAllowance).toBe(30_000);

    const off = await unverified(null);
    expect((await newCode(off.tokens)).payableWithoutStepUp).toBeNull();
    expect((await off.payStoreCode(40_000)).status).toBe(201);

    expect((await h.createSandbox('legacy-2019')).stepUpAllowance).toBeNull();
    const legacy = await shop(await h.createSandbox('legacy-2019', { stepUpAllowance: 0 }));
    const { tokens } = await customer(legacy.sandbox, 10_000);
    const code = await newCode(tokens);
    expect(code.payableWithoutStepUp).toBeNull();
    expect((await pay(legacy, { code: code.code, amount: 10_000 })).status).toBe(201);
  });

  test('an allowance that is not a whole number of yen is refused', async () => {
    for (const stepUpAllowance of [-1, 1.5, '5000']) {
      const answer = await h.post('/v1/sandboxes', { name: 'bad', stepUpAllowance }, { token: h.adminToken });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_request');
    }
  });
});

describe('anti brute force', () => {
  test('a register submitting many unknown codes is blocked and the fraud topic hears of it', async () => {
    const s = await shop();
    const { tokens } = await customer(s.sandbox, 1_000);
    const { code } = await newCode(tokens);
    for (let i = 0; i < 20; i++) {
      const guess = `79${String(1_000_000_000_000_000_000n + BigInt(i)).slice(0, 19)}0`;
      expect([422]).toContain((await pay(s, { code: guess, amount: 100 })).status);
    }
    const blocked = await pay(s, { code, amount: 100 });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const events = await h.get('/v1/events?type=store.invalid_codes', { token: s.sandbox.secretKey });
    expect(events.body.data[0].data).toMatchObject({ storeId: s.storeId, invalidCodes: 20 });
    // A store cannot be held: the fraud module records an alert on it for the operator, and says so.
    await h.drain();
    const alerts = await h.get('/v1/fraud/alerts?subjectType=store', { token: s.sandbox.secretKey });
    const alert = {
      rule: 'store.invalid_codes',
      subjectType: 'store',
      subjectId: s.storeId,
      inputs: { keyId: events.body.data[0].data.keyId, invalidCodes: 20, windowSeconds: 300, blocks: 1 },
    };
    expect(alerts.body.data).toEqual([expect.objectContaining({ ...alert, id: events.body.data[0].id })]);
    expect(await eventsOf(s, 'fraud.alert_raised')).toEqual([expect.objectContaining(alert)]);
  });
});
