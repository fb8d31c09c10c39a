import { describe, expect, test } from '@jest/globals';
import jsQRModule from 'jsqr';
import zxing from '@zxing/library';
import { PNG } from 'pngjs';
import type { Locator, Page } from 'playwright-core';
import { Customers } from '../support/customers.js';
import type { SandboxKeys } from '../support/harness.js';
import { useConsole } from './support/console-browser.js';
import { signInPanel } from './support/panels.js';

// jsqr is CommonJS whose typings declare an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
// @zxing/library is CommonJS too: its classes come from the default export.
const { BinaryBitmap, Code128Reader, HybridBinarizer, RGBLuminanceSource } = zxing;

const run = useConsole('wallet-money');
const PHONE = { width: 390, height: 844 };
const DAY_S = 86_400;

interface Signed {
  sandbox: SandboxKeys;
  customers: Customers;
  who: Awaited<ReturnType<Customers['onboard']>>['who'];
  walletId: string;
  page: Page;
}

/** A customer signed in through the API, their phone (390 px) showing the wallet app. */
async function signedIn(): Promise<Signed> {
  const sandbox = await run.h.createSandbox();
  const customers = new Customers(run.h, sandbox);
  const me = await customers.onboard();
  const page = await run.newPage(PHONE);
  await run.openSandbox(page, sandbox, '/console/wallet');
  await signInPanel(page, sandbox, me.who.deviceId, me.tokens);
  return { sandbox, customers, who: me.who, walletId: me.walletId, page };
}

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Wallet screens' }).getByRole('button', { name });

async function expectBalance(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('[data-testid=balance]')?.textContent === expected, text);
}

/** Waits for an SMS to the phone newer than the ones counted before, and returns its code. */
async function nextCode(customers: Customers, phone: string, before: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const messages = await customers.messages(phone);
    if (messages.length > before) return /\b(\d{6})\b/.exec(messages[0].body)![1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no new SMS to ${phone}`);
}

/** Does what asks for a second factor, then answers the dialog with the code the API sent to the phone. */
async function passingStepUp(page: Page, customers: Customers, phone: string, act: () => Promise<void>): Promise<void> {
  const sent = (await customers.messages(phone)).length;
  await act();
  const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
  await stepUp.waitFor();
  await stepUp.getByLabel('Code').fill(await nextCode(customers, phone, sent));
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
}

/** What a scanner reads from the QR as the screen shows it. */
async function decodeQr(image: Locator): Promise<string | undefined> {
  const png = PNG.sync.read(await image.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/**
 * What a Code 128 scanner reads from the API's barcode image drawn at its own size on black, as a page in
 * dark mode would show it: only an opaque image with its own quiet zone reads there.
 */
async function decodeCode128OnBlack(image: Locator): Promise<string | undefined> {
  await image.evaluate((img: HTMLElement) => {
    img.style.cssText = 'background: #000; width: auto; height: auto; max-width: none';
  });
  const png = PNG.sync.read(await image.screenshot());
  await image.evaluate((img: HTMLElement) => {
    img.style.cssText = '';
  });
  const luminance = new Uint8ClampedArray(png.width * png.height);
  for (let i = 0; i < luminance.length; i++)
    luminance[i] = (png.data[i * 4] * 299 + png.data[i * 4 + 1] * 587 + png.data[i * 4 + 2] * 114) / 1000;
  try {
    return new Code128Reader()
      .decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, png.width, png.height))))
      .getText();
  } catch {
    return undefined;
  }
}

/** Adds a test card picked from the list the API gives. */
async function addCard(page: Page, number: string): Promise<void> {
  await page.getByText('Add a card').click();
  await page.getByRole('group', { name: 'Test cards' }).getByLabel(new RegExp(number)).check();
  expect(await page.getByLabel('Card number').inputValue()).toBe(number);
  await page.getByRole('button', { name: 'Add card' }).click();
  await page
    .getByRole('group', { name: 'Card' })
    .getByText(`•••• ${number.slice(-4)}`)
    .waitFor();
}

describe('the wallet app: money', () => {
  test('a card top-up with 3-D Secure: the SMS code finishes it; the balance and the history show it', async () => {
    const { page, customers, who } = await signedIn();
    await expectBalance(page, '¥0');
    await page.getByText('Nothing yet').waitFor();
    await run.expectAccessible(page, 'home-empty');
    await run.shot(page, 'home-empty');

    await tab(page, 'Top up').click();
    const list = page.getByRole('group', { name: 'Test cards' });
    await page.getByText('Add a card').click();
    // The list comes from the API and says what each card does.
    await list.getByText('4000000000003220').waitFor();
    expect(await list.textContent()).toContain('asks for 3-D Secure');
    expect(await list.textContent()).toContain('card_declined');
    await run.expectAccessible(page, 'topup-card-list');
    await run.shot(page, 'topup-card-list');
    await page.getByText('Add a card').click();
    await addCard(page, '4000000000003220');

    const sent = (await customers.messages(who.phone)).length;
    await page.getByLabel('Amount').fill('10000');
    await page.getByRole('button', { name: 'Top up ¥10,000' }).click();
    const code = page.getByLabel('Code from the SMS');
    await code.waitFor();
    await run.expectAccessible(page, 'topup-3ds');
    await run.shot(page, 'topup-3ds');
    await code.fill(await nextCode(customers, who.phone, sent));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('[data-testid=topup][data-status=succeeded]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('topup-outcome').textContent()).toBe('¥10,000 was added to your balance.');
    await expectBalance(page, '¥10,000');
    await run.expectAccessible(page, 'topup-done');
    await run.shot(page, 'topup-done');

    await tab(page, 'Home').click();
    await expectBalance(page, '¥10,000');
    expect(await page.getByTestId('available').textContent()).toBe('¥10,000');
    const row = page.getByTestId('history').getByRole('listitem').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Top-up · Credit card');
    expect(await row.textContent()).toContain('+¥10,000');
    await run.expectAccessible(page, 'home-after-topup');
    await run.shot(page, 'home-after-topup');
  });

  test('the payment code: QR and barcode of the digits shown, a countdown; the register captures it and the panel shows it', async () => {
    const { page, sandbox, walletId } = await signedIn();
    const secret = { token: sandbox.secretKey };
    const store = (await run.h.post('/v1/stores', { name: 'Seven Ginza', categoryCode: '5411', city: 'Tokyo' }, secret)).body;
    await run.h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 5_000 }, secret);

    await tab(page, 'Pay').click();
    const qr = page.getByTestId('code-qr');
    await qr.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.payment-code img')].every((img) => img.complete && img.naturalWidth > 0),
    );
    const digits = (await page.getByTestId('code-digits').textContent())!.replace(/\s/g, '');
    expect(digits).toMatch(/^79\d{20}$/);
    expect(await qr.getAttribute('src')).toMatch(/^blob:/);
    expect(await page.getByTestId('code-barcode').getAttribute('src')).toMatch(/^blob:/);

    // The QR on the screen carries the digits written under it, and so does the barcode, even on a dark page.
    expect(await decodeQr(qr)).toBe(digits);
    expect(await decodeCode128OnBlack(page.getByTestId('code-barcode'))).toBe(digits);

    // Five minutes of sandbox time, counting down.
    const countdown = async () => {
      const [, m, s] = /(\d):(\d\d)/.exec((await page.getByTestId('countdown').textContent())!)!;
      return Number(m) * 60 + Number(s);
    };
    await page
      .getByTestId('countdown')
      .getByText(/\d:\d\d/)
      .waitFor();
    const first = await countdown();
    expect(first).toBeGreaterThan(280);
    expect(first).toBeLessThanOrEqual(300);
    await page.waitForFunction((start) => {
      const match = /(\d):(\d\d)/.exec(document.querySelector('[data-testid=countdown]')?.textContent ?? '');
      return match !== null && Number(match[1]) * 60 + Number(match[2]) < start;
    }, first);
    await run.expectAccessible(page, 'pay-code');
    await run.shot(page, 'pay-code');

    // A fresh code on demand replaces it.
    await page.getByRole('button', { name: 'New code' }).click();
    await page.waitForFunction(
      (old) => (document.querySelector('[data-testid=code-digits]')?.textContent ?? '').replace(/\s/g, '') !== old,
      digits,
    );
    const fresh = (await page.getByTestId('code-digits').textContent())!.replace(/\s/g, '');
    expect(await decodeQr(qr)).toBe(fresh);
    expect((await run.h.post('/v1/payments', { code: digits, amount: 100 }, { token: store.apiKey })).body.code).toBe('code_invalid');

    // The sandbox clock runs past the code's five minutes: the panel, on sandbox time, shows a new one.
    await run.h.post('/v1/sandbox/clock/advance', { seconds: 301 }, secret);
    await page.waitForFunction(
      (old) => (document.querySelector('[data-testid=code-digits]')?.textContent ?? '').replace(/\s/g, '') !== old,
      fresh,
      { timeout: 10_000 },
    );
    const renewed = (await page.getByTestId('code-digits').textContent())!.replace(/\s/g, '');
    expect(await decodeQr(qr)).toBe(renewed);
    expect(await countdown()).toBeGreaterThan(280);

    const paid = await run.h.post('/v1/payments', { code: renewed, amount: 1_200 }, { token: store.apiKey });
    expect(paid.status).toBe(201);
    await page.getByTestId('code-used').waitFor();
    expect(await page.getByTestId('code-used').textContent()).toBe('Paid ¥1,200 at the register.');
    await run.expectAccessible(page, 'pay-code-used');
    await run.shot(page, 'pay-code-used');

    await tab(page, 'Home').click();
    await expectBalance(page, '¥3,800');
    const row = page.getByTestId('history').getByRole('listitem').first();
    await row.getByText('Payment').waitFor();
    expect(await row.textContent()).toContain('−¥1,200');
    await run.shot(page, 'home-after-payment');
  });

  test('beyond the step-up allowance: the code says what it pays; after the SMS code, a new one pays more', async () => {
    const { page, sandbox, walletId, customers, who } = await signedIn();
    const secret = { token: sandbox.secretKey };
    const store = (await run.h.post('/v1/stores', { name: 'Seven Ginza', categoryCode: '5411', city: 'Tokyo' }, secret)).body;
    await run.h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 50_000 }, secret);
    // The second factor of the sign-in counts for 10 minutes of sandbox time.
    await run.h.post('/v1/sandbox/clock/advance', { seconds: 11 * 60 }, secret);

    await tab(page, 'Pay').click();
    const allowance = page.getByTestId('code-allowance');
    await allowance.waitFor();
    expect(await allowance.textContent()).toBe('Pays up to ¥30,000 as it is.');
    const digits = (await page.getByTestId('code-digits').textContent())!.replace(/\s/g, '');
    const refused = await run.h.post('/v1/payments', { code: digits, amount: 40_000 }, { token: store.apiKey });
    expect(refused.body).toMatchObject({ code: 'limit_exceeded', limit: 'step_up_allowance', max: 30_000 });
    await run.expectAccessible(page, 'pay-code-allowance');
    await run.shot(page, 'pay-code-allowance');
    // In Japanese, the allowance and the way past it read in Japanese.
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('button', { name: '本人確認して上限を解除' }).waitFor();
    expect(await allowance.textContent()).toBe('このままで¥30,000までお支払いいただけます。');
    await run.shot(page, 'pay-code-allowance-ja');
    await page.getByLabel('言語').selectOption('en');

    await passingStepUp(page, customers, who.phone, () => page.getByRole('button', { name: 'Confirm to pay more' }).click());
    await page.waitForFunction(
      (old) => (document.querySelector('[data-testid=code-digits]')?.textContent ?? '').replace(/\s/g, '') !== old,
      digits,
    );
    expect(await allowance.count()).toBe(0);
    const confirmed = (await page.getByTestId('code-digits').textContent())!.replace(/\s/g, '');
    expect((await run.h.post('/v1/payments', { code: confirmed, amount: 40_000 }, { token: store.apiKey })).status).toBe(201);
    await page.getByTestId('code-used').waitFor();
    expect(await page.getByTestId('code-used').textContent()).toBe('Paid ¥40,000 at the register.');
  });

  test('a declined card shows the refusal code of the top-up', async () => {
    const { page } = await signedIn();
    await tab(page, 'Top up').click();
    await addCard(page, '4000000000000002');
    await page.getByRole('button', { name: 'Top up ¥10,000' }).click();
    const outcome = page.locator('[data-testid=topup-outcome][data-code]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await outcome.getAttribute('data-code')).toBe('card_declined');
    expect(await outcome.getAttribute('role')).toBe('alert');
    expect(await outcome.textContent()).toContain('card_declined');
    await expectBalance(page, '¥0');
    await run.expectAccessible(page, 'topup-declined');
    await run.shot(page, 'topup-declined');
  });

  test('an ATM top-up: the deposit code the API issued, the cash put in by the ATM simulator', async () => {
    const { page } = await signedIn();
    await tab(page, 'Top up').click();
    await page.getByLabel('ATM').check();
    await page.getByLabel('Amount').fill('20000');
    await page.getByRole('button', { name: 'Get a deposit code' }).click();
    const code = page.getByTestId('deposit-code');
    await code.waitFor();
    expect((await code.textContent())!.replace(/\s/g, '')).toMatch(/^\d{12}$/);
    await run.expectAccessible(page, 'topup-atm-code');
    await run.shot(page, 'topup-atm-code');
    await page.getByRole('button', { name: 'Deposit ¥20,000 at the ATM' }).click();
    await page.locator('[data-testid=topup][data-status=succeeded]').waitFor({ timeout: 20_000 });
    await expectBalance(page, '¥20,000');
    await run.shot(page, 'topup-atm-done');
  });

  test('the refund claim: when claims open before the end, the claim after it, paid out', async () => {
    const { page, sandbox, customers, who, walletId } = await signedIn();
    const secret = { token: sandbox.secretKey };
    await run.h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 7_000 }, secret);

    await tab(page, 'Refund').click();
    await page.getByTestId('refund-not-open').getByText('only when the service is abolished').waitFor();
    await run.expectAccessible(page, 'refund-operating');
    await run.shot(page, 'refund-operating');

    const now = new Date((await run.h.get('/v1/sandbox/clock', secret)).body.now).getTime();
    const announced = await run.h.post(
      '/v1/service/transitions',
      {
        to: 'abolition_announced',
        terminationAt: new Date(now + DAY_S * 1000).toISOString(),
        refundClaimsUntil: new Date(now + 91 * DAY_S * 1000).toISOString(),
      },
      secret,
    );
    expect(announced.status).toBe(201);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('refund-not-open').getByText('Refund claims are accepted from').waitFor();
    await run.shot(page, 'refund-announced');

    await run.h.post('/v1/sandbox/clock/advance', { seconds: DAY_S + 1 }, secret);
    await run.h.drain();
    // The access token ran out with the day: the customer signs in again on the same phone.
    await signInPanel(page, sandbox, who.deviceId, await customers.signIn(who));
    await tab(page, 'Refund').click();
    await page.getByRole('heading', { name: 'Claim your refund' }).waitFor();
    await page.getByText('You will get back ¥7,000').waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('input[type=email]')?.value ?? '') !== '');
    await run.expectAccessible(page, 'refund-form');
    await run.shot(page, 'refund-form');

    // A claim needs a second factor: the code the API sent to the phone.
    await passingStepUp(page, customers, who.phone, () => page.getByRole('button', { name: 'Submit the claim' }).click());
    const claim = page.getByTestId('claim');
    await claim.waitFor();
    expect(await page.getByTestId('claim-amount').textContent()).toBe('¥7,000');
    await run.shot(page, 'refund-submitted');

    await run.h.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('[data-testid=claim][data-status=paid]').waitFor();
    expect(await claim.textContent()).toContain('Paid');
    await run.expectAccessible(page, 'refund-paid');
    await run.shot(page, 'refund-paid');
  });
  test("paying a store's QR: the pasted payload names the store and amount, the payment shows its receipt", async () => {
    const { page, sandbox, walletId } = await signedIn();
    const secret = { token: sandbox.secretKey };
    await run.h.post(`/v1/sandbox/wallets/${walletId}/fund`, { amount: 3_000 }, secret);
    const store = (await run.h.post('/v1/stores', { name: 'Seven Shibuya', categoryCode: '5411', city: 'Tokyo' }, secret)).body;
    const { payload } = (await run.h.post('/v1/store-codes', { amount: 880 }, { token: store.apiKey })).body;

    await tab(page, 'Pay').click();
    await page.getByTestId('code-qr').waitFor();
    await page.getByRole('button', { name: "Scan the store's QR" }).click();
    await page.getByLabel('Or paste the QR content').fill(payload);
    const confirm = page.getByTestId('confirm-store');
    await confirm.getByText('Seven Shibuya · Tokyo').waitFor();
    expect(await confirm.textContent()).toContain('¥880');
    await run.expectAccessible(page, 'pay-store-confirm');
    await run.shot(page, 'pay-store-confirm');
    await page.getByRole('button', { name: 'Pay ¥880 to Seven Shibuya' }).click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain('¥880');
    expect(await receipt.textContent()).toMatch(/pay_[0-9a-z]{26}/);
    await run.expectAccessible(page, 'pay-store-receipt');
    await run.shot(page, 'pay-store-receipt');
    await tab(page, 'Home').click();
    await expectBalance(page, '¥2,120');
  });

  test('bank debit from a registered account, and points given by the simulator then topped up', async () => {
    const { page } = await signedIn();
    await tab(page, 'Top up').click();
    await page.getByLabel('Bank account').check();
    await page.getByText('Register a bank account').click();
    await page.getByRole('group', { name: 'Test account numbers' }).getByText('0000002').waitFor();
    await page.getByRole('button', { name: 'Register account' }).click();
    await page.getByRole('group', { name: 'Bank account' }).getByText('•••4567').waitFor();
    await page.getByLabel('Amount').fill('5000');
    await page.getByRole('button', { name: 'Top up ¥5,000' }).click();
    await page.locator('[data-testid=topup][data-status=succeeded]').waitFor({ timeout: 20_000 });
    await expectBalance(page, '¥5,000');
    await run.expectAccessible(page, 'topup-bank');
    await run.shot(page, 'topup-bank');

    await page.getByLabel('Points', { exact: true }).check();
    await page.getByTestId('points').getByText('0 pt').waitFor();
    await page.getByLabel('Points to give').fill('3000');
    await page.getByRole('button', { name: 'Give points' }).click();
    await page.getByTestId('points').getByText('3,000 pt').waitFor();
    await page.getByLabel('Points to use (1 pt = ¥1)').fill('1200');
    await page.getByRole('button', { name: 'Top up with points' }).click();
    await page.locator('[data-testid=topup][data-status=succeeded]').waitFor({ timeout: 20_000 });
    await expectBalance(page, '¥6,200');
    await page.getByTestId('points').getByText('1,800 pt').waitFor();
    await run.expectAccessible(page, 'topup-points');
    await run.shot(page, 'topup-points');

    await page.getByLabel('Cash at the register').check();
    await page.getByTestId('code-digits').waitFor();
    await run.shot(page, 'topup-register-cash');
  });
});
