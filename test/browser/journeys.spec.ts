import { describe, expect, test } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { newIdentity } from '../support/customers.js';
import type { SandboxKeys } from '../support/harness.js';
import { useConsole } from './support/console-browser.js';

/**
 * Whole stories on the side-by-side page, as a presenter clicks them: every
 * step through the screens, every code read from the inbox on the page.
 */
const run = useConsole('journeys');

async function sideBySide(sandbox: SandboxKeys): Promise<Page> {
  const page = await run.newPage({ width: 1920, height: 1200 });
  await run.openSandbox(page, sandbox, '/console/side-by-side');
  return page;
}

const phone = (page: Page, slot: 'a' | 'b') => page.locator(`[data-slot=${slot}]`);
const inbox = (page: Page) => page.locator('.inbox');
const tab = (wallet: Locator, name: string) => wallet.getByRole('navigation', { name: 'Wallet screens' }).getByRole('button', { name });

async function shot(page: Page, name: string): Promise<void> {
  await run.expectAccessible(page, name);
  await run.shot(page, name);
}

/** The 6-digit code of the newest SMS the inbox on the page shows for a phone, once there are more than `seen`. */
async function codeFromInbox(page: Page, phoneNumber: string, seen: number): Promise<string> {
  const messages = inbox(page)
    .getByTestId('message')
    .filter({ hasText: phoneNumber })
    .filter({ hasText: /\b\d{6}\b/ });
  for (let i = 0; i < 100 && (await messages.count()) <= seen; i++) await page.waitForTimeout(100);
  const text = (await messages.first().textContent()) ?? '';
  return /\b(\d{6})\b/.exec(text.replace(phoneNumber, ''))![1];
}

async function codesSent(page: Page, phoneNumber: string): Promise<number> {
  return inbox(page)
    .getByTestId('message')
    .filter({ hasText: phoneNumber })
    .filter({ hasText: /\b\d{6}\b/ })
    .count();
}

async function register(page: Page, wallet: Locator, who: ReturnType<typeof newIdentity>): Promise<void> {
  await wallet.getByRole('button', { name: 'Create an account' }).click();
  await wallet.getByLabel('E-mail address').fill(who.email);
  await wallet.getByLabel('Mobile phone (+81…)').fill(who.phone);
  await wallet.getByLabel('Password', { exact: true }).fill(who.password);
  await wallet.getByRole('button', { name: 'Register and sign in' }).click();
}

async function signIn(wallet: Locator, email: string, password: string): Promise<void> {
  await wallet.getByLabel('E-mail address').fill(email);
  await wallet.getByLabel('Password', { exact: true }).fill(password);
  await wallet.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function balanceShown(wallet: Locator, text: string): Promise<void> {
  const balance = wallet.getByTestId('balance');
  for (let i = 0; i < 150 && (await balance.textContent().catch(() => null)) !== text; i++) await wallet.page().waitForTimeout(100);
  expect(await balance.textContent()).toBe(text);
}

describe('the customer journey at the counter', () => {
  test('register, the SMS code from the inbox, a 3-D Secure top-up, the QR scanned by the register, a partial refund; the ledger reconciles', async () => {
    const sandbox = await run.h.createSandbox('hardened');
    const page = await sideBySide(sandbox);
    const a = phone(page, 'a');
    const who = newIdentity();

    // Registration on a new phone: the code goes by SMS, and the inbox on the page shows it.
    await register(page, a, who);
    await a.getByRole('heading', { name: 'Enter the code' }).waitFor();
    await a.getByLabel('6-digit code').fill(await codeFromInbox(page, who.phone, 0));
    await a.getByRole('button', { name: 'Confirm and sign in' }).click();
    await tab(a, 'Home').waitFor();
    await balanceShown(a, '¥0');
    await shot(page, '01-signed-in');

    // A card that asks for 3-D Secure: its code comes by SMS too.
    await tab(a, 'Top up').click();
    await a.getByText('Add a card').click();
    await a
      .getByRole('group', { name: 'Test cards' })
      .getByLabel(/4000000000003220/)
      .check();
    await a.getByRole('button', { name: 'Add card' }).click();
    await a.getByRole('group', { name: 'Card' }).getByText('•••• 3220').waitFor();
    const sent = await codesSent(page, who.phone);
    await a.getByLabel('Amount').fill('10000');
    await a.getByRole('button', { name: 'Top up ¥10,000' }).click();
    await a.getByLabel('Code from the SMS').fill(await codeFromInbox(page, who.phone, sent));
    await shot(page, '02-three-d-secure');
    await a.getByRole('button', { name: 'Confirm' }).click();
    await a.locator('[data-testid=topup][data-status=succeeded]').waitFor({ timeout: 20_000 });
    await balanceShown(a, '¥10,000');

    // The phone shows its code; the register opens a store, keys the amount and scans the phone's screen.
    await tab(a, 'Pay').click();
    await a.getByTestId('code-qr').waitFor();
    const till = page.locator('.register');
    await till.getByLabel('Store name').fill('Seven Shinjuku 3-chome');
    await till.getByRole('button', { name: 'Open the store and its register' }).click();
    await till.getByTestId('store-name').waitFor();
    const keypad = till.getByRole('group', { name: 'Amount (yen)' });
    for (const key of ['1', '2', '3', '4']) await keypad.getByRole('button', { name: key, exact: true }).click();
    await till.getByRole('button', { name: 'Scan wallet A’s screen' }).click();
    const shownDigits = (await a.getByTestId('code-digits').textContent())!.replace(/\s/g, '');
    expect(await till.getByLabel(/payment code/).inputValue()).toBe(shownDigits);
    await shot(page, '03-scanned');
    await till.getByRole('button', { name: 'Charge ¥1,234' }).click();
    const receipt = till.getByTestId('receipt');
    await receipt.getByRole('heading', { name: 'Payment captured', exact: true }).waitFor();
    expect((await receipt.getByTestId('receipt-amount').textContent())?.trim()).toBe('¥1,234');
    await a.getByTestId('code-used').waitFor();
    expect(await a.getByTestId('code-used').textContent()).toBe('Paid ¥1,234 at the register.');
    await shot(page, '04-receipt');

    // The phone's home: the balance and the history show the payment.
    await tab(a, 'Home').click();
    await balanceShown(a, '¥8,766');
    const history = a.getByTestId('history').getByRole('listitem');
    expect(await history.first().textContent()).toContain('−¥1,234');

    // Part of it back: the receipt says what is left to refund, and the phone sees the money return.
    await till.getByLabel('Amount to refund (yen)').fill('500');
    await till.getByRole('button', { name: 'Refund ¥500' }).click();
    await receipt.getByRole('heading', { name: 'Refund', exact: true }).waitFor();
    expect((await receipt.getByTestId('receipt-refundable').textContent())?.trim()).toBe('¥734');
    await a.getByRole('button', { name: 'Refresh' }).first().click();
    await balanceShown(a, '¥9,266');
    await shot(page, '05-refunded');

    await run.h.drain();
    const reconciliation = (await run.h.get('/v1/reports/reconciliation', { token: sandbox.secretKey })).body;
    expect(reconciliation.ok).toBe(true);
  });
});

describe('the 2019 takeover, side by side', () => {
  test('legacy-2019: a second phone signs in with the password alone and the owner’s phone is silently signed out', async () => {
    const sandbox = await run.h.createSandbox('legacy-2019');
    const page = await sideBySide(sandbox);
    const [owner, attacker] = [phone(page, 'a'), phone(page, 'b')];
    const who = newIdentity();

    await register(page, owner, who);
    await tab(owner, 'Home').waitFor();
    await balanceShown(owner, '¥0');

    // The attacker knows the password (reused elsewhere): no code is asked for.
    await signIn(attacker, who.email, who.password);
    await tab(attacker, 'Home').waitFor();
    await balanceShown(attacker, '¥0');

    // The owner's next look finds the session gone, and nobody told them.
    await tab(owner, 'Home').click();
    const notice = owner.locator('.notice[data-reason=session_ended]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Signed out: your session ended');
    await page.waitForTimeout(500);
    expect(
      await inbox(page)
        .getByTestId('message')
        .filter({ hasText: /new sign-in/ })
        .count(),
    ).toBe(0);
    await shot(page, '10-legacy-takeover');
  });

  test('hardened: the same attempt stops at the code sent to the owner’s phone; the owner stays signed in', async () => {
    const sandbox = await run.h.createSandbox('hardened');
    const page = await sideBySide(sandbox);
    const [owner, attacker] = [phone(page, 'a'), phone(page, 'b')];
    const who = newIdentity();

    await register(page, owner, who);
    await owner.getByLabel('6-digit code').fill(await codeFromInbox(page, who.phone, 0));
    await owner.getByRole('button', { name: 'Confirm and sign in' }).click();
    await tab(owner, 'Home').waitFor();

    const sent = await codesSent(page, who.phone);
    const signInNotices = async () => {
      await run.h.drain();
      const sent = await run.h.get(`/v1/sandbox/messages?to=${encodeURIComponent(who.phone)}&limit=100`, { token: sandbox.secretKey });
      return sent.body.data.filter((message: { body: string }) => message.body.includes('new sign-in')).length;
    };
    const noticesBefore = await signInNotices();
    await signIn(attacker, who.email, who.password);
    await attacker.getByRole('heading', { name: 'Enter the code' }).waitFor();
    // The code went to the owner's phone, not the attacker's.
    await codeFromInbox(page, who.phone, sent);
    await attacker.getByLabel('6-digit code').fill('000000');
    await attacker.getByRole('button', { name: 'Confirm and sign in' }).click();
    expect(await attacker.getByRole('alert').getAttribute('data-code')).toMatch(/^(unauthenticated|mfa_required)$/);
    expect(await attacker.getByRole('navigation', { name: 'Wallet screens' }).count()).toBe(0);

    await tab(owner, 'Account').click();
    await tab(owner, 'Home').click();
    await balanceShown(owner, '¥0');
    expect(await owner.locator('.notice[data-reason=session_ended]').count()).toBe(0);
    // The code SMS is all the owner got: the attacker never signed in, so there is no new sign-in to tell of.
    expect(await signInNotices()).toBe(noticesBefore);
    await shot(page, '11-hardened-stopped');
  });
});
