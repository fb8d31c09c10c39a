/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import jsQRModule from 'jsqr';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { Customers, newIdentity } from '../support/customers.js';
import type { SandboxKeys } from '../support/harness.js';
import { useConsole } from './support/console-browser.js';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const run = useConsole('wallet-auth');
const PHONE = { width: 390, height: 844 };

/** The wallet page as a 390 px phone, on the sandbox. */
async function walletPage(sandbox: SandboxKeys, locale?: string): Promise<Page> {
  const page = await run.newPage({ ...PHONE, locale });
  await run.openSandbox(page, sandbox, '/console/wallet');
  return page;
}

async function screen(page: Page, name: string): Promise<void> {
  await run.expectAccessible(page, name);
  await run.shot(page, name);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await page.getByRole('navigation', { name: 'Wallet screens' }).waitFor();
}

async function refusal(page: Page): Promise<{ code: string | null; text: string }> {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return { code: await alert.getAttribute('data-code'), text: (await alert.textContent()) ?? '' };
}

/** What the QR image on the page encodes, read back from its pixels. */
async function qrText(page: Page): Promise<string | undefined> {
  const png = PNG.sync.read(await page.getByRole('img', { name: /QR code/ }).screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('the wallet app: sign-in and account', () => {
  test('register on hardened: a breached password is refused in the API’s words; the SMS code from the Inbox signs in; the account shows the session and the phone', async () => {
    const sandbox = await run.h.createSandbox('hardened');
    const who = newIdentity();
    const page = await walletPage(sandbox);
    await screen(page, '01-sign-in');

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('E-mail address').fill(who.email);
    await page.getByLabel('Mobile phone (+81…)').fill(who.phone);
    await page.getByLabel('Password', { exact: true }).fill('1234');
    expect(await page.locator('.password-feedback').getAttribute('data-verdict')).toBe('short');
    await page.getByLabel('Password', { exact: true }).fill('iloveyou');
    // The feedback while typing uses the API's own list.
    await page.locator('.password-feedback[data-verdict=common]').waitFor();
    await page.getByRole('button', { name: 'Register and sign in' }).click();
    const refused = await refusal(page);
    expect(refused.code).toBe('invalid_request');
    expect(refused.text).toContain('is too common: it appears in lists of breached passwords; choose another');
    await screen(page, '02-register-refused');

    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.locator('.password-feedback[data-verdict=ok]').waitFor();
    await page.getByRole('button', { name: 'Register and sign in' }).click();
    await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
    const masked = `+81${'•'.repeat(who.phone.length - 7)}${who.phone.slice(-4)}`;
    expect(await page.locator('.wallet-auth').textContent()).toContain(`We sent a 6-digit code by SMS to ${masked}`);
    await screen(page, '03-code');

    // The customer reads the SMS in the Inbox, opened beside the app.
    const [inbox] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('link', { name: 'Read the SMS in the Inbox (new tab)' }).click(),
    ]);
    await inbox.getByLabel('Address or phone number').fill(who.phone);
    const sms = inbox.getByTestId('message').filter({ hasText: 'is your code to sign in' }).first();
    await sms.waitFor();
    const code = /\b(\d{6})\b/.exec((await sms.textContent()) ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await run.shot(inbox, '04-inbox-sms');

    await page.getByLabel('6-digit code').fill('000000' === code ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    expect((await refusal(page)).code).toBe('unauthenticated');
    await enterCode(page, code!);
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await page.getByTestId('session').first().waitFor();
    const sessions = page.getByTestId('session');
    expect(await sessions.count()).toBe(1);
    expect(await sessions.first().getAttribute('data-current')).toBe('true');
    expect(await sessions.first().textContent()).toContain('This session');
    const devices = page.getByTestId('device');
    expect(await devices.count()).toBe(1);
    expect(await devices.first().getAttribute('data-this')).toBe('true');
    expect(await devices.first().getAttribute('data-trusted')).toBe('true');
    expect(await page.getByTestId('profile-facts').textContent()).toContain(who.email);
    await screen(page, '05-account');
  });

  test('password reset through the e-mailed link: set from the reset page, the new password signs in and the old one is refused', async () => {
    const sandbox = await run.h.createSandbox('hardened');
    const customers = new Customers(run.h, sandbox);
    const { who } = await customers.onboard();
    const page = await walletPage(sandbox);

    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByLabel('E-mail address').fill(who.email);
    await page.getByRole('button', { name: 'E-mail me a reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'a reset link is on its way' }).waitFor();
    await screen(page, '10-forgot-sent');

    // The link in the e-mail, from the Inbox: PUBLIC_URL/reset-password?token=… redirects to the console's page.
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByLabel('Address or phone number').fill(who.email);
    const mail = page.getByTestId('message').filter({ hasText: 'Reset your password' }).first();
    await mail.waitFor();
    await run.shot(page, '11-inbox-reset-mail');
    const link = mail.getByRole('link');
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${run.url}/reset-password\\?token=`));
    await link.click();
    await page.waitForURL(/\/console\/reset-password\?token=/);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await screen(page, '12-reset-page');

    await page.getByLabel('New password', { exact: true }).fill('password1');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    expect((await refusal(page)).text).toContain('is too common');
    const newPassword = `${who.password}-renewed`;
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password was changed' }).waitFor();
    // The spent token leaves the address bar.
    expect(page.url()).not.toContain('token=');
    await screen(page, '13-reset-done');
    // The link was opened as phone A: the API remembers that this phone completed the reset.
    const phoneA = await page.evaluate((key) => localStorage.getItem(key), `wallet-sandbox:${sandbox.id}:a:device`);
    const resetBy = await run.h.db.rows<{ device_hash: string }>(
      `SELECT device_hash FROM identity_devices WHERE sandbox_id = $1 AND reset_at IS NOT NULL`,
      [sandbox.id],
    );
    expect(resetBy.map((d) => d.device_hash)).toEqual([createHash('sha256').update(phoneA!).digest('hex')]);

    await page.getByRole('link', { name: 'Go to the wallet app to sign in' }).click();
    await signIn(page, who.email, who.password);
    const old = await refusal(page);
    expect(old).toMatchObject({ code: 'unauthenticated' });
    expect(old.text).toContain('The e-mail address or password is not correct');
    await screen(page, '14-old-password-refused');

    await signIn(page, who.email, newPassword);
    await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
    await enterCode(page, await customers.latestCode(who.phone));
  });

  test('TOTP: after a step-up, the QR of the otpauth URL and a code computed from its secret turn it on; a new phone then signs in with the app, no SMS', async () => {
    const sandbox = await run.h.createSandbox('hardened');
    const customers = new Customers(run.h, sandbox);
    const { who } = await customers.onboard();
    const page = await walletPage(sandbox);
    await signIn(page, who.email, who.password);
    await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
    await enterCode(page, await customers.latestCode(who.phone));

    // 16 minutes on: the access token has expired (renewed with the refresh token) and the sign-in's second factor is stale.
    await run.h.post('/v1/sandbox/clock/advance', { seconds: 16 * 60 }, { token: sandbox.secretKey });
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await page.getByTestId('profile-facts').waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await stepUp.waitFor();
    expect(await stepUp.textContent()).toContain(`Enter the code we just sent by SMS to +81`);
    await run.shot(page, '20-step-up');
    await stepUp.getByLabel('Code').fill(await customers.latestCode(who.phone));
    await stepUp.getByRole('button', { name: 'Confirm' }).click();

    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const url = await qrText(page);
    expect(url).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(url!).searchParams.get('secret')).toBe(secret);
    await screen(page, '21-totp-qr');

    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('status').filter({ hasText: 'Authenticator app turned on.' }).waitFor();
    await page.getByText('On: codes come from your authenticator app').waitFor();
    expect(await page.getByTestId('profile-facts').textContent()).toContain('Authenticator app');
    await screen(page, '22-totp-on');

    const codesSent = async () => (await customers.messages(who.phone)).filter((sms) => sms.body.includes('is your code')).length;
    const codesBefore = await codesSent();
    const phoneB = await walletPage(sandbox);
    await signIn(phoneB, who.email, who.password);
    await phoneB.getByRole('heading', { name: 'Enter the code' }).waitFor();
    expect(await phoneB.locator('.wallet-auth').textContent()).toContain('Enter the 6-digit code your authenticator app shows now');
    expect(await phoneB.locator('.wallet-auth').getByRole('link', { name: /Inbox/ }).count()).toBe(0);
    await screen(phoneB, '23-code-from-app');
    await enterCode(phoneB, await generate({ secret }));
    // No code went by SMS (the owner is still told of the new sign-in).
    expect(await codesSent()).toBe(codesBefore);
    await phoneB.getByRole('button', { name: 'Account', exact: true }).click();
    // The onboarding's phone, phone A and phone B: each passed a second factor, so each is trusted.
    await phoneB.getByTestId('device').nth(2).waitFor();
    expect(await phoneB.getByTestId('device').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-trusted')))).toEqual([
      'true',
      'true',
      'true',
    ]);
    expect(await phoneB.getByTestId('session').count()).toBe(3);
    await screen(phoneB, '24-account-three-phones');
  });

  test('a session ended elsewhere (a legacy-2019 takeover from another phone) signs the panel out, saying so', async () => {
    const sandbox = await run.h.createSandbox('legacy-2019');
    const customers = new Customers(run.h, sandbox);
    const who = newIdentity();
    await customers.register(who);
    const page = await walletPage(sandbox);
    await signIn(page, who.email, who.password);
    await page.getByRole('navigation', { name: 'Wallet screens' }).waitFor();
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await page.getByTestId('session').first().waitFor();

    // Another phone signs in with the password alone: 7pay's silent takeover ends this one's session.
    expect((await customers.login({ ...who, deviceId: newIdentity().deviceId })).body.accessToken).toEqual(expect.any(String));
    // The next call the panel makes (Home reads the balance) finds the session gone.
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    const notice = page.locator('.notice[data-reason=session_ended]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Signed out: your session ended');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screen(page, '30-session-ended');

    // legacy-2019's reset request takes what 7pay's did: date of birth, phone, and any address to send the link to.
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByRole('group', { name: 'legacy-2019: 7pay’s reset check' }).waitFor();
    await page.getByLabel('E-mail address').fill(who.email);
    await page.getByLabel('Date of birth (optional)').fill('2019-01-01');
    await page.getByLabel('Mobile phone (+81…)').fill(who.phone);
    await page.getByLabel('Send the link to (optional)').fill('attacker@example.test');
    await page.getByRole('button', { name: 'E-mail me a reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'a reset link is on its way' }).waitFor();
    await run.h.drain();
    expect((await customers.messages('attacker@example.test')).some((m) => m.subject === 'Reset your password')).toBe(true);
    await screen(page, '31-forgot-legacy');
  });

  test('in Japanese: a ja-JP browser gets the sign-in screen in Japanese, and the language switch turns it to English', async () => {
    const sandbox = await run.h.createSandbox('hardened');
    const page = await walletPage(sandbox, 'ja-JP');
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await page.getByLabel('メールアドレス').waitFor();
    await page.getByRole('button', { name: '新規登録' }).waitFor();
    await screen(page, '40-sign-in-ja');
    await page.getByRole('button', { name: '新規登録' }).click();
    await page.getByLabel('パスワード', { exact: true }).fill('iloveyou');
    await page.getByText('流出したパスワードの一覧にあるため使えません').waitFor();
    await screen(page, '41-register-ja');

    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await page.getByText('it is in lists of breached passwords').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screen(page, '42-register-en');
  });
});
