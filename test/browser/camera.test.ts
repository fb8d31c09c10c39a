import { describe, expect, test } from '@jest/globals';
import { Customers, newIdentity } from '../support/customers.js';
import { useConsole } from './support/console-browser.js';
import { signInPanel } from './support/panels.js';

/** The console's camera, fed by Chromium's fake camera with the very images the API draws. */
const run = useConsole('camera', { camera: true });

async function image(path: string, token: string): Promise<Buffer> {
  const reply = await fetch(`${run.h.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(reply.headers.get('content-type')).toContain('image/png');
  return Buffer.from(await reply.arrayBuffer());
}

describe('scanning with the camera', () => {
  test("the register reads the customer's QR code from the camera and takes the payment", async () => {
    const sandbox = await run.h.createSandbox();
    const customer = await new Customers(run.h, sandbox).onboard(newIdentity());
    await run.h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 2_000 }, { token: sandbox.secretKey });
    const issued = (await run.h.post('/v1/payment-codes', undefined, { token: customer.tokens.accessToken })).body;
    await run.showToCamera(await image(`/v1/payment-codes/${issued.id}/qr.png`, customer.tokens.accessToken));

    const page = await run.newPage({ width: 1280, height: 1000 });
    await run.openSandbox(page, sandbox, '/console/register');
    await page.getByLabel('Store name').fill('Seven Camera-dori');
    await page.getByRole('button', { name: 'Open the store and its register' }).click();
    await page.getByTestId('store-name').waitFor();
    const keypad = page.getByRole('group', { name: 'Amount (yen)' });
    for (const key of ['7', '0', '0']) await keypad.getByRole('button', { name: key, exact: true }).click();
    const scan = page.getByRole('button', { name: 'Scan with the camera' });
    await scan.click();
    // The camera may read the code before a picture could be looked for: the code read and the camera closed are what count.
    await page.waitForFunction((code) => document.querySelector<HTMLInputElement>('.code-scan input')?.value === code, issued.code);
    expect(await scan.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByLabel('Camera picture').count()).toBe(0);
    await run.shot(page, 'register-camera-read');
    await page.getByRole('button', { name: 'Charge ¥700' }).click();
    await page.getByTestId('receipt').getByRole('heading', { name: 'Payment captured', exact: true }).waitFor();
    const wallet = (await run.h.get(`/v1/sandbox/wallets/${customer.walletId}`, { token: sandbox.secretKey })).body;
    expect(wallet.balance).toBe(1_300);
    await run.expectAccessible(page, 'register-camera-paid');
  });

  test("a phone reads a store's QR from the camera and pays it", async () => {
    const sandbox = await run.h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const customer = await new Customers(run.h, sandbox).onboard(newIdentity());
    await run.h.post(`/v1/sandbox/wallets/${customer.walletId}/fund`, { amount: 1_000 }, secret);
    const store = (await run.h.post('/v1/stores', { name: 'Seven Lens', categoryCode: '5411', city: 'Osaka' }, secret)).body;
    const code = (await run.h.post('/v1/store-codes', { amount: 450 }, { token: store.apiKey })).body;
    await run.showToCamera(await image(`/v1/store-codes/${code.id}/qr.png`, store.apiKey));

    const page = await run.newPage({ width: 390, height: 844 });
    await run.openSandbox(page, sandbox, '/console/wallet');
    await signInPanel(page, sandbox, customer.who.deviceId, customer.tokens);
    await page.getByRole('navigation', { name: 'Wallet screens' }).getByRole('button', { name: 'Pay' }).click();
    await page.getByRole('button', { name: "Scan the store's QR" }).click();
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    const confirm = page.getByTestId('confirm-store');
    await confirm.getByText('Seven Lens · Osaka').waitFor();
    expect(await page.getByLabel('Or paste the QR content').inputValue()).toBe(code.payload);
    await run.shot(page, 'wallet-camera-read');
    await page.getByRole('button', { name: 'Pay ¥450 to Seven Lens' }).click();
    await page.getByTestId('receipt').waitFor();
    const wallet = (await run.h.get(`/v1/sandbox/wallets/${customer.walletId}`, secret)).body;
    expect(wallet.balance).toBe(550);
    await run.expectAccessible(page, 'wallet-camera-paid');
  });
});
