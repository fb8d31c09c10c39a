import { describe, expect, test } from '@jest/globals';
import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { Customers, type Tokens, newIdentity } from '../support/customers.js';
import type { SandboxKeys } from '../support/harness.js';
import { useConsole } from './support/console-browser.js';

// jsqr is CommonJS whose typings declare an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const run = useConsole('register');

interface Customer {
  walletId: string;
  tokens: Tokens;
}

/** A customer signed in on their phone (through the API), with a funded wallet. */
async function fundedCustomer(sandbox: SandboxKeys, amount: number): Promise<Customer> {
  const customer = await new Customers(run.h, sandbox).onboard(newIdentity());
  const funded = await run.h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount }, { token: sandbox.secretKey });
  expect(funded.status).toBe(201);
  return { walletId: customer.walletId, tokens: customer.tokens };
}

/** The code the customer's app shows at the counter. */
async function paymentCode(customer: Customer): Promise<string> {
  const issued = await run.h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken });
  expect(issued.status).toBe(201);
  return issued.body.code;
}

async function wallet(sandbox: SandboxKeys, walletId: string): Promise<{ balance: number; available: number }> {
  return (await run.h.get(`/v1/sandbox/wallets/${walletId}`, { token: sandbox.secretKey })).body;
}

/** The register page of a sandbox, with a new store opened from the console. */
async function registerWithNewStore(sandbox: SandboxKeys, name: string): Promise<Page> {
  const page = await run.newPage({ width: 1280, height: 1000 });
  await run.openSandbox(page, sandbox, '/console/register');
  await page.getByLabel('Store name').fill(name);
  await page.getByRole('button', { name: 'Open the store and its register' }).click();
  await page.getByTestId('store-name').waitFor();
  return page;
}

/** Presses the keypad's keys, one by one. */
async function keyIn(page: Page, keys: string[]): Promise<void> {
  const keypad = page.getByRole('group', { name: 'Amount (yen)' });
  for (const key of keys) await keypad.getByRole('button', { name: key, exact: true }).click();
}

async function amountShown(page: Page): Promise<string> {
  return page.getByTestId('amount').inputValue();
}

const receipt = (page: Page) => page.getByTestId('receipt');
const receiptLine = async (page: Page, id: string) => (await page.getByTestId(id).textContent())?.trim();

/** Waits for the receipt of one kind of answer (its heading). */
async function receiptTitled(page: Page, title: string): Promise<void> {
  await receipt(page).getByRole('heading', { name: title, exact: true }).waitFor();
}

async function refusal(page: Page, scope = page.locator('body')): Promise<string | null> {
  const alert = scope.getByRole('alert');
  await alert.waitFor();
  return alert.getAttribute('data-code');
}

describe('the register', () => {
  test('opens a store, keys in an amount, captures a pasted code, refunds part of it and refuses a refund beyond the rest', async () => {
    const sandbox = await run.h.createSandbox();
    const customer = await fundedCustomer(sandbox, 5_000);
    const code = await paymentCode(customer);

    const page = await run.newPage({ width: 1280, height: 1000 });
    await run.openSandbox(page, sandbox, '/console/register');
    await page.getByText('No store yet').waitFor();
    await run.expectAccessible(page, 'store-setup');
    await run.shot(page, '01-store-setup');

    await page.getByLabel('Store name').fill('Seven Ginza 1-chome');
    await page.getByRole('button', { name: 'Open the store and its register' }).click();
    await page.getByTestId('store-name').waitFor();
    const storeId = (await page.getByTestId('store-id').textContent())!;
    expect(storeId).toMatch(/^str_[0-9a-z]{26}$/);
    expect((await run.h.get(`/v1/stores/${storeId}`, { token: sandbox.secretKey })).body.name).toBe('Seven Ginza 1-chome');

    // The keypad: 1 2 3 4 00 makes ¥123,400; backspace twice, ¥1,234; clear, nothing.
    await keyIn(page, ['1', '2', '3', '4', '00']);
    expect(await amountShown(page)).toBe('¥123,400');
    await keyIn(page, ['Delete the last digit', 'Delete the last digit']);
    expect(await amountShown(page)).toBe('¥1,234');
    await keyIn(page, ['Clear']);
    expect(await amountShown(page)).toBe('');
    // The keyboard works too: digits typed into the amount, Escape clears.
    await page.getByTestId('amount').pressSequentially('98');
    expect(await amountShown(page)).toBe('¥98');
    await page.getByTestId('amount').press('Escape');
    await keyIn(page, ['1', '2', '3', '4']);
    await page.getByLabel(/payment code/).fill(code);
    await run.expectAccessible(page, 'till-ready');
    await run.shot(page, '02-till-ready');

    await page.getByRole('button', { name: 'Charge ¥1,234' }).click();
    await receiptTitled(page, 'Payment captured');
    expect(await receiptLine(page, 'receipt-amount')).toBe('¥1,234');
    expect(await receiptLine(page, 'receipt-status')).toBe('Captured');
    expect(await receiptLine(page, 'receipt-refundable')).toBe('¥1,234');
    expect(await receipt(page).textContent()).toContain('Seven Ginza 1-chome');
    const paymentId = (await page.getByTestId('receipt-payment-id').textContent())!;
    expect((await wallet(sandbox, customer.walletId)).balance).toBe(5_000 - 1_234);
    // The till is clean for the next customer.
    expect(await amountShown(page)).toBe('');
    expect(await page.getByLabel(/payment code/).inputValue()).toBe('');
    await page.getByTestId('recent-payment').first().waitFor();
    await run.expectAccessible(page, 'receipt-captured');
    await run.shot(page, '03-receipt-captured');

    await page.getByLabel('Amount to refund (yen)').fill('500');
    await page.getByRole('button', { name: 'Refund ¥500' }).click();
    await receiptTitled(page, 'Refund');
    expect(await receiptLine(page, 'receipt-amount')).toBe('¥500');
    expect(await receiptLine(page, 'receipt-refundable')).toBe('¥734');
    expect(await page.getByTestId('receipt-payment-id').textContent()).toBe(paymentId);
    expect((await wallet(sandbox, customer.walletId)).balance).toBe(5_000 - 1_234 + 500);
    await run.shot(page, '04-receipt-refund');

    await page.getByLabel('Amount to refund (yen)').fill('1000');
    await page.getByRole('button', { name: 'Refund ¥1,000' }).click();
    expect(await refusal(page, receipt(page))).toBe('amount_exceeds_refundable');
    expect(await receipt(page).getByRole('alert').textContent()).toContain('¥734');
    expect((await wallet(sandbox, customer.walletId)).balance).toBe(5_000 - 1_234 + 500);
    await run.expectAccessible(page, 'refund-refused');
    await run.shot(page, '05-refund-refused');

    // The register's payments list shows the payment, refunded in part.
    const row = page.getByTestId('recent-payment').first();
    await page.waitForFunction(() => document.querySelector('[data-testid=recent-payment]')?.textContent?.includes('¥500 refunded'));
    expect(await row.textContent()).toContain('¥1,234');
    const payments = await run.h.get('/v1/payments', { token: sandbox.secretKey });
    expect(payments.body.data).toEqual([expect.objectContaining({ id: paymentId, capturedAmount: 1_234, refundedAmount: 500 })]);

    // A reload keeps the register: the store key stays in this tab.
    await page.reload();
    await page.getByTestId('store-name').waitFor();
    expect(await page.getByTestId('store-id').textContent()).toBe(storeId);
    await page.getByTestId('recent-payment').first().click();
    await receiptTitled(page, 'Payment');
    expect(await receiptLine(page, 'receipt-refundable')).toBe('¥734');

    const reconciliation = await run.h.get('/v1/reports/reconciliation', { token: sandbox.secretKey });
    expect(reconciliation.body.ok).toBe(true);
  });

  test("pre-authorises then voids; pre-authorises then captures less, at one of the sandbox's existing stores", async () => {
    const sandbox = await run.h.createSandbox();
    const store = await run.h.post('/v1/stores', { name: 'Lawson Umeda', city: 'Osaka' }, { token: sandbox.secretKey });
    const customer = await fundedCustomer(sandbox, 10_000);
    const page = await run.newPage({ width: 1280, height: 1000 });
    await run.openSandbox(page, sandbox, '/console/register');
    await page.getByRole('button', { name: 'Open a register at Lawson Umeda' }).click();
    await page.getByTestId('store-name').waitFor();
    expect(await page.getByTestId('store-id').textContent()).toBe(store.body.id);

    await keyIn(page, ['3', '0', '0', '0']);
    await page.getByLabel(/payment code/).fill(await paymentCode(customer));
    await page.getByRole('button', { name: 'Pre-authorise ¥3,000' }).click();
    await receiptTitled(page, 'Amount pre-authorised');
    expect(await receiptLine(page, 'receipt-status')).toBe('Authorised');
    expect(await wallet(sandbox, customer.walletId)).toEqual(expect.objectContaining({ balance: 10_000, available: 7_000 }));
    await run.expectAccessible(page, 'receipt-authorized');
    await run.shot(page, '06-receipt-authorized');

    await page.getByRole('button', { name: 'Void', exact: true }).click();
    await receiptTitled(page, 'Pre-authorisation voided');
    expect(await receiptLine(page, 'receipt-status')).toBe('Voided');
    expect(await wallet(sandbox, customer.walletId)).toEqual(expect.objectContaining({ balance: 10_000, available: 10_000 }));
    await run.shot(page, '07-receipt-voided');

    await keyIn(page, ['2', '0', '0', '0']);
    await page.getByLabel(/payment code/).fill(await paymentCode(customer));
    await page.getByRole('button', { name: 'Pre-authorise ¥2,000' }).click();
    await receiptTitled(page, 'Amount pre-authorised');
    await page.getByLabel('Amount to capture (yen)').fill('1500');
    await page.getByRole('button', { name: 'Capture ¥1,500' }).click();
    await receiptTitled(page, 'Pre-authorisation captured');
    expect(await receiptLine(page, 'receipt-amount')).toBe('¥1,500');
    expect(await receiptLine(page, 'receipt-status')).toBe('Captured');
    expect(await receiptLine(page, 'receipt-refundable')).toBe('¥1,500');
    expect(await wallet(sandbox, customer.walletId)).toEqual(expect.objectContaining({ balance: 8_500, available: 8_500 }));
    await run.shot(page, '08-receipt-captured-authorization');

    // Both payments are in the register's list: the voided one and the captured one.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=recent-payment]').length === 2);
    const rows = await page.getByTestId('recent-payment').allTextContents();
    expect(rows[0]).toContain('Captured');
    expect(rows[1]).toContain('Voided');
    expect((await run.h.get('/v1/reports/reconciliation', { token: sandbox.secretKey })).body.ok).toBe(true);
  });

  test('refuses an unknown code and an expired one with their codes; changes nothing', async () => {
    const sandbox = await run.h.createSandbox();
    const customer = await fundedCustomer(sandbox, 2_000);
    const page = await registerWithNewStore(sandbox, 'FamilyMart Shibuya');

    await keyIn(page, ['5', '0', '0']);
    await page.getByLabel(/payment code/).fill('7900000000000000000000');
    await page.getByRole('button', { name: 'Charge ¥500' }).click();
    expect(await refusal(page)).toBe('code_invalid');
    expect(await page.getByRole('alert').textContent()).toContain('422');
    await run.expectAccessible(page, 'refused-unknown');
    await run.shot(page, '09-refused-unknown-code');

    const code = await paymentCode(customer);
    await run.h.post('/v1/sandbox/clock/advance', { seconds: 301 }, { token: sandbox.secretKey });
    await page.getByLabel(/payment code/).fill(code);
    await page.getByRole('button', { name: 'Charge ¥500' }).click();
    await page.waitForFunction(() => document.querySelector('[role=alert]')?.getAttribute('data-code') === 'code_expired');
    await run.shot(page, '10-refused-expired-code');
    expect((await wallet(sandbox, customer.walletId)).balance).toBe(2_000);
    expect((await run.h.get('/v1/payments', { token: sandbox.secretKey })).body.data).toEqual([]);
  });

  test("shows the store's QR for an amount, which decodes to the API's payload, and the customer's app pays it", async () => {
    const sandbox = await run.h.createSandbox();
    const customer = await fundedCustomer(sandbox, 3_000);
    const page = await registerWithNewStore(sandbox, 'Seven Kyoto');
    await keyIn(page, ['8', '0', '0']);
    await page.getByRole('button', { name: 'Show the store QR for ¥800' }).click();
    const qr = page.getByTestId('store-qr');
    const image = qr.getByRole('img', { name: 'The store’s QR code for ¥800' });
    await image.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid=store-qr] img') as HTMLImageElement | null)?.naturalWidth);
    await run.expectAccessible(page, 'store-qr');
    await run.shot(page, '11-store-qr');

    const [issued] = await run.h.db.rows<{ payload: string }>(
      `SELECT c.payload FROM capture_store_codes c JOIN capture_stores s ON s.sandbox_id = c.sandbox_id AND s.id = c.store_id
        WHERE s.name = $1 AND c.amount = 800`,
      ['Seven Kyoto'],
    );
    const png = PNG.sync.read(await image.screenshot());
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(issued.payload);
    await qr.getByText('What the QR says').click();
    expect(await page.getByTestId('store-qr-payload').textContent()).toBe(issued.payload);

    const paid = await run.h.post('/v1/wallet/pay-store-code', { payload: issued.payload }, { token: customer.tokens.accessToken });
    expect(paid.status).toBe(201);
    expect(paid.body).toEqual(expect.objectContaining({ amount: 800, status: 'captured', method: 'mpm' }));
    // The register sees its QR paid, and prints the receipt.
    await receiptTitled(page, 'Paid with the store QR');
    expect(await qr.textContent()).toContain('Paid: ¥800');
    expect(await receiptLine(page, 'receipt-amount')).toBe('¥800');
    expect(await page.getByTestId('receipt-payment-id').textContent()).toBe(paid.body.id);
    expect((await wallet(sandbox, customer.walletId)).balance).toBe(2_200);
    await run.shot(page, '12-store-qr-paid');
  });

  test("takes cash for a top-up of the customer's wallet, scanned from the customer's code", async () => {
    const sandbox = await run.h.createSandbox();
    const customer = await fundedCustomer(sandbox, 1_000);
    const page = await registerWithNewStore(sandbox, 'Seven Sapporo');
    await keyIn(page, ['3', '0', '0', '0']);
    await page.getByLabel(/payment code/).fill(await paymentCode(customer));
    await page.getByRole('button', { name: 'Cash top-up ¥3,000' }).click();
    await receiptTitled(page, 'Cash top-up');
    expect(await receiptLine(page, 'receipt-amount')).toBe('¥3,000');
    expect(await receipt(page).textContent()).toContain(customer.walletId);
    await run.h.drain();
    await page.waitForFunction(() => document.querySelector('[data-testid=receipt-status]')?.textContent?.includes('Credited'));
    expect((await wallet(sandbox, customer.walletId)).balance).toBe(4_000);
    await run.expectAccessible(page, 'topup-receipt');
    await run.shot(page, '13-topup-receipt');
  });

  test('without a camera, says so; in Japanese, every label is Japanese', async () => {
    const sandbox = await run.h.createSandbox();
    const page = await registerWithNewStore(sandbox, 'Seven Naha');
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await page.getByText('This device has no camera').waitFor();
    await run.shot(page, '14-no-camera');

    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { name: 'レジ', exact: true }).waitFor();
    await page.getByRole('button', { name: 'クリア' }).waitFor();
    await run.expectAccessible(page, 'register-ja');
    await run.shot(page, '15-register-ja');
  });
});

describe('the side-by-side page', () => {
  for (const [width, height] of [
    [1920, 1080],
    [1280, 800],
    [390, 844],
  ]) {
    test(`two phones, the register and the inbox, at ${width} px`, async () => {
      const sandbox = await run.h.createSandbox();
      await run.h.post('/v1/stores', { name: 'Seven Projector' }, { token: sandbox.secretKey });
      const page = await run.newPage({ width, height });
      await run.openSandbox(page, sandbox, '/console/side-by-side');
      await page.getByRole('button', { name: 'Open a register at Seven Projector' }).click();
      await page.getByTestId('store-name').waitFor();
      expect(await page.locator('[data-slot]').count()).toBe(2);
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      // No wallet shows a code yet: the register says so rather than offering to scan one.
      await page.getByText('No wallet on this page is showing a payment code.').waitFor();
      const boxes = await Promise.all(
        ['.side-by-side-a', '.side-by-side-b', '.side-by-side-register'].map((selector) => page.locator(selector).boundingBox()),
      );
      const [a, b, register] = boxes.map((box) => box!);
      if (width >= 1280) {
        // A projector: both phones and the register side by side, from the top.
        expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
        expect(register.x).toBeGreaterThanOrEqual(b.x + b.width);
        expect(Math.abs(register.y - a.y)).toBeLessThan(2);
      } else {
        expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
        expect(register.y).toBeGreaterThanOrEqual(b.y + b.height);
      }
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await run.expectAccessible(page, `side-by-side-${width}`);
      await run.shot(page, `20-side-by-side-${width}`);
    });
  }
});
