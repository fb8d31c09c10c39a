import { describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Customers } from '../support/customers.js';
import type { SandboxKeys } from '../support/harness.js';
import { useConsole } from './support/console-browser.js';

const run = useConsole('operator-home-service');

/**
 * Through the API: Alice tops up ¥5,000 in cash at a store and pays ¥1,200 there
 * (a ¥800 pre-authorisation waits besides); Bob's wallet gets ¥3,000 of sandbox funding.
 */
async function aDayOfTrade(sandbox: SandboxKeys) {
  const secret = { token: sandbox.secretKey };
  const c = new Customers(run.h, sandbox);
  const alice = await c.onboard();
  const bob = await c.onboard();
  const store = (await run.h.post('/v1/stores', { name: 'Seven Ginza' }, secret)).body;
  const code = async () => (await run.h.post('/v1/payment-codes', undefined, { token: alice.tokens.accessToken })).body.code;
  expect((await run.h.post('/v1/register-topups', { code: await code(), amount: 5_000 }, { token: store.apiKey })).status).toBe(202);
  await run.h.drain();
  const payment = await run.h.post('/v1/payments', { code: await code(), amount: 1_200 }, { token: store.apiKey });
  expect(payment.status).toBe(201);
  const auth = await run.h.post('/v1/payments', { code: await code(), amount: 800, capture: false }, { token: store.apiKey });
  expect(auth.status).toBe(201);
  expect((await run.h.post(`/v1/sandbox/wallets/${bob.walletId}/fund`, { amount: 3_000 }, secret)).status).toBe(201);
  await run.h.drain();
  return { alice, bob, store, paymentId: payment.body.id as string };
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ');

describe("the operator's home, service timeline and ledger", () => {
  test("home: the day's figures as the API counts them, holds, claims and the reconciliation badge", async () => {
    const sandbox = await run.h.createSandbox();
    const { bob } = await aDayOfTrade(sandbox);
    expect(
      (await run.h.post('/v1/holds', { walletId: bob.walletId, reason: 'customer reports a lost phone' }, { token: sandbox.secretKey }))
        .status,
    ).toBe(201);
    await run.h.drain();

    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator');
    await page.getByTestId('wallets').waitFor();
    expect(await text(page, 'wallets')).toContain('2');
    expect(await text(page, 'wallets')).toContain('2 holding a balance');
    // ¥3,800 left with Alice and ¥3,000 with Bob; the ¥800 pre-authorisation is reserved, not spent.
    expect(await text(page, 'outstanding')).toContain('¥6,800');
    expect(await text(page, 'outstanding')).toContain('¥800 of it reserved');
    expect(await text(page, 'open-holds')).toMatch(/Open fraud holds 1 /);
    expect(await text(page, 'topup-register_cash')).toBe('Cash at the register 1 ¥5,000');
    expect(await text(page, 'topup-card')).toBe('Credit card 0 ¥0');
    expect(await text(page, 'topup-total')).toBe('All top-ups 1 ¥5,000');
    expect(await text(page, 'payments')).toBe('Payments 1 ¥1,200');
    expect(await text(page, 'claims-submitted')).toContain('0');
    expect(await text(page, 'reconciliation')).toContain('Ledger reconciles');
    await run.expectAccessible(page, 'operator-home');
    await run.shot(page, 'home');

    // The badge leads to the report.
    await page.getByRole('link', { name: 'Read the reconciliation report' }).click();
    await page.getByTestId('reconciliation-verdict').waitFor();
    expect(page.url()).toContain('/console/operator/ledger');

    // Japanese, at a phone's width.
    const phone = await run.newPage({ width: 390, height: 844, locale: 'ja-JP' });
    await run.openSandbox(phone, sandbox, '/console/operator');
    await phone.getByTestId('payments').waitFor();
    expect(await text(phone, 'payments')).toBe('支払い 1 ¥1,200');
    await run.expectAccessible(phone, 'operator-home-ja-phone');
    await run.shot(phone, 'home-ja-phone');
  });

  test('service timeline: 7pay’s dates, card top-ups off, abolition refused at 59 days and announced at 60, the forced reset', async () => {
    const created = await run.h.post(
      '/v1/sandboxes',
      { name: '7pay 2019', securityProfile: 'legacy-2019', clockStartsAt: '2019-07-01T05:00:00+09:00' },
      { token: run.h.adminToken },
    );
    expect(created.status).toBe(201);
    const sandbox = created.body as SandboxKeys;
    const customers = new Customers(run.h, sandbox);
    const member = await customers.onboard();
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/service');
    await page.getByTestId('phase-operating').waitFor();
    expect(await page.getByTestId('phase-operating').getAttribute('data-state')).toBe('current');
    expect(await text(page, 'phase-card_topup_suspended')).toContain('7pay: 2019-07-03');
    expect(await text(page, 'phase-terminated')).toContain('7pay: 2019-09-30 24:00');
    await run.expectAccessible(page, 'service');
    await run.shot(page, 'service-operating');

    // 07-03: card top-ups off, by the button.
    await page.getByLabel('Reason (optional, recorded with the step)').fill('unauthorised card top-ups');
    await page.getByRole('button', { name: 'Suspend card top-ups: now' }).click();
    await page.locator('[data-testid=phase-card_topup_suspended][data-state=current]').waitFor();
    expect(await text(page, 'phase-card_topup_suspended')).toContain('unauthorised card top-ups');
    await page.waitForFunction(() => document.querySelector('[data-testid=phase]')?.textContent === 'Card top-ups suspended');
    expect((await run.h.get('/v1/service', { token: sandbox.secretKey })).body.phase).toBe('card_topup_suspended');
    // What is behind the service now is no longer offered.
    expect(await page.getByRole('button', { name: /Suspend card top-ups/ }).count()).toBe(0);

    // Every top-up and sign-up off from 07-04 00:00, scheduled ahead.
    await page.getByLabel('Takes effect at (Japan time; empty for now)').fill('2019-07-04T00:00');
    await page.getByRole('button', { name: 'Suspend every top-up and sign-up: 2019-07-04 00:00' }).click();
    await page.locator('[data-testid=phase-topup_suspended][data-state=scheduled]').waitFor();
    expect(await text(page, 'phase-topup_suspended')).toContain('4 Jul 2019, 00:00:00 GMT+9');

    // The notice's form starts from 7pay's own dates (10-01 → 01-10: 102 days).
    expect(await page.getByLabel('Last day of the service').inputValue()).toBe('2019-09-30');
    expect(await page.getByLabel('Last day to claim').inputValue()).toBe('2020-01-10');
    expect(await text(page, 'claim-days')).toContain('102 days');

    // 59 days to claim: the Payment Services Act refuses it.
    await page.getByLabel('Refund claims open on').fill('2019-10-01');
    await page.getByLabel('Last day to claim').fill('2019-11-28');
    expect(await text(page, 'claim-days')).toContain('59 days');
    await page.getByRole('button', { name: 'Announce abolition' }).click();
    const refusal = page.locator('[role=alert][data-code=notice_period_too_short]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('this notice gives 59');
    expect(await text(page, 'law')).toContain('Payment Services Act gives holders at least 60 days');
    expect(await text(page, 'law')).toContain('this notice gives 59');
    expect((await run.h.get('/v1/service', { token: sandbox.secretKey })).body.notice).toBeNull();
    await run.expectAccessible(page, 'service-refused');
    await run.shot(page, 'service-abolition-refused');

    // 60 days, but announced now, before the scheduled suspension: the order of the phases refuses it.
    await page.getByLabel('Last day to claim').fill('2019-11-29');
    expect(await text(page, 'claim-days')).toContain('60 days');
    await page.getByRole('button', { name: 'Announce abolition' }).click();
    await page.locator('[role=alert][data-code=invalid_transition]').waitFor();
    expect(await page.locator('[role=alert]').innerText()).toContain('abolition_announced cannot take effect before topup_suspended');
    expect(await page.getByTestId('law').count()).toBe(0);

    // Three days on (07-04 05:00): every top-up is off.
    for (let day = 0; day < 3; day += 1) {
      const before = await page.getByTestId('clock').locator('time').getAttribute('datetime');
      await page.getByRole('button', { name: '+1 day' }).click();
      await page.waitForFunction(
        (earlier) => document.querySelector('[data-testid=clock] time')?.getAttribute('datetime') !== earlier,
        before,
      );
    }
    await page.locator('[data-testid=phase-topup_suspended][data-state=current]').waitFor();
    expect(await page.getByTestId('phase').textContent()).toBe('Top-ups and sign-ups suspended');

    // 60 days: announced; termination, the refund window and the close are scheduled on the notice's dates.
    await page.getByLabel('Last day to claim').fill('2019-11-29');
    expect(await text(page, 'claim-days')).toContain('60 days');
    await page.getByRole('button', { name: 'Announce abolition' }).click();
    await page.locator('[data-testid=phase-abolition_announced][data-state=current]').waitFor();
    expect(await page.locator('[role=alert]').count()).toBe(0);
    expect(await page.getByTestId('phase-terminated').getAttribute('data-state')).toBe('scheduled');
    expect(await text(page, 'phase-terminated')).toContain('1 Oct 2019, 00:00:00 GMT+9');
    expect(await text(page, 'phase-closed')).toContain('30 Nov 2019, 00:00:00 GMT+9');
    expect(await text(page, 'notice')).toContain('Notice of the abolition of the service');
    const service = (await run.h.get('/v1/service', { token: sandbox.secretKey })).body;
    expect(service.notice).toMatchObject({
      terminationAt: '2019-09-30T15:00:00.000Z',
      refundClaimsFrom: '2019-09-30T15:00:00.000Z',
      refundClaimsUntil: '2019-11-29T15:00:00.000Z',
    });
    expect(await page.getByRole('button', { name: 'Announce abolition' }).count()).toBe(0);

    // The forced password reset (7pay, 07-30).
    await page.getByRole('button', { name: 'Force every customer to reset their password' }).click();
    await page.getByTestId('reset-done').waitFor();
    await run.h.drain();
    const login = await customers.login(member.who);
    expect(login.body.code).toBe('password_reset_required');
    await run.expectAccessible(page, 'service-announced');
    await run.shot(page, 'service-announced');
  });

  test("ledger: a wallet's transfers after a payment, a store's account, and the reconciliation in words", async () => {
    const sandbox = await run.h.createSandbox();
    const { alice, bob, store, paymentId } = await aDayOfTrade(sandbox);
    // Bob gets 50 more small credits: 51 transfers, more than a page.
    for (let i = 0; i < 50; i += 1)
      await run.h.post(`/v1/sandbox/wallets/${bob.walletId}/fund`, { amount: 10 }, { token: sandbox.secretKey });
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/ledger');
    await page.getByTestId('reconciliation-verdict').waitFor();
    expect(await text(page, 'reconciliation-verdict')).toContain('The ledger reconciles: every check holds');
    const words = await text(page, 'reconciliation-words');
    expect(words).toContain('All entries add up to ¥0');
    // ¥3,800 + ¥3,500 in the wallets: ¥8,500 in (top-up and funding), ¥1,200 out (the payment).
    expect(words).toContain('Wallet balances (¥7,300) equal money in (¥8,500) less money out (¥1,200)');
    expect(words).toContain('¥800 of it is reserved, as much as the open pending transfers hold (count: 1, ¥800)');
    expect(words).toContain('Stores have received ¥1,200');

    await page.getByLabel("From the sandbox's accounts").selectOption({ label: `${alice.walletId} — ¥3,800` });
    await page.getByRole('button', { name: 'Show' }).first().click();
    await page.getByTestId('transfer').first().waitFor();
    expect(await text(page, 'account-balance')).toBe('¥3,800');
    const rows = await page.getByTestId('transfer').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0].replace(/\s+/g, ' ')).toMatch(new RegExp(`Payment −¥1,200 ${store.id} ${paymentId}`));
    expect(rows[1].replace(/\s+/g, ' ')).toMatch(/Top-up \+¥5,000 system:topup:register_cash/);
    expect(await text(page, 'pending-transfer')).toMatch(new RegExp(`Payment ¥800 ${store.id} reserved`));
    await run.expectAccessible(page, 'ledger-wallet');
    await run.shot(page, 'ledger-wallet');

    // Japanese, at a phone's width: the wide tables scroll in regions a keyboard reaches; the page does not.
    const phone = await run.newPage({ width: 390, height: 844, locale: 'ja-JP' });
    await run.openSandbox(phone, sandbox, '/console/operator/ledger');
    await phone.getByLabel('または ID で指定').fill(alice.walletId);
    await phone.getByRole('button', { name: '表示' }).nth(1).click();
    await phone.getByTestId('transfer').first().waitFor();
    const transfers = phone.getByRole('region', { name: '振替（新しい順）' });
    expect(await transfers.getAttribute('tabindex')).toBe('0');
    expect(await transfers.evaluate((region) => region.scrollWidth > region.clientWidth)).toBe(true);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await run.expectAccessible(phone, 'ledger-wallet-ja-phone');
    await run.shot(phone, 'ledger-wallet-ja-phone');
    await phone.close();

    await page.getByLabel('Or by its id').fill(store.id);
    await page.getByRole('button', { name: 'Show' }).nth(1).click();
    await page.getByRole('heading', { name: `Account ${store.id}` }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=account-balance]')?.textContent === '¥1,200');
    expect(await page.getByTestId('transfer').count()).toBe(1);
    await run.shot(page, 'ledger-store');

    // A long history comes a page at a time.
    await page.getByLabel('Or by its id').fill(bob.walletId);
    await page.getByRole('button', { name: 'Show' }).nth(1).click();
    await page.getByRole('heading', { name: `Account ${bob.walletId}` }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=account-balance]')?.textContent === '¥3,500');
    expect(await page.getByTestId('transfer').count()).toBe(50);
    await page.getByRole('button', { name: 'Show earlier transfers' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=transfer]').length === 51);
    expect(await page.getByTestId('transfer').last().innerText()).toContain('+¥3,000');
    expect(await page.getByRole('button', { name: 'Show earlier transfers' }).count()).toBe(0);

    // An unknown id: the API's refusal.
    await page.getByLabel('Or by its id').fill('wal_00000000000000000000000000');
    await page.getByRole('button', { name: 'Show' }).nth(1).click();
    await page.locator('[role=alert][data-code=not_found]').waitFor();
    await run.expectAccessible(page, 'ledger-not-found');
  });

  test('a ledger that does not reconcile: the badge says what is wrong in words and leads to the report', async () => {
    const sandbox = await run.h.createSandbox();
    const { alice } = await aDayOfTrade(sandbox);
    // A stored balance tampered with behind the ledger's back: ¥100 that no entry explains.
    const tamper = (by: number) =>
      run.h.db.rows(`UPDATE ledger_accounts SET balance = balance + $3 WHERE sandbox_id = $1 AND id = $2`, [
        sandbox.id,
        alice.walletId,
        by,
      ]);
    await tamper(100);
    try {
      const page = await run.newPage();
      await run.openSandbox(page, sandbox, '/console/operator');
      await page.getByTestId('reconciliation').waitFor();
      const badge = await text(page, 'reconciliation');
      expect(badge).toContain('Ledger does not reconcile: 2 discrepancies');
      expect(badge).toContain(`Wallet ${alice.walletId} stores a balance of ¥3,900, but its entries add up to ¥3,800.`);
      expect(badge).toContain('Wallets hold ¥6,900, but money in less money out comes to ¥6,800.');
      await run.expectAccessible(page, 'operator-home-broken');
      await run.shot(page, 'home-not-reconciled');

      await page.getByRole('link', { name: 'Read the reconciliation report' }).click();
      await page.getByTestId('discrepancies').waitFor();
      expect(await text(page, 'reconciliation-verdict')).toContain('The ledger does not reconcile: 2 discrepancies');
      expect(await page.getByTestId('discrepancies').locator('li').count()).toBe(2);
      await run.expectAccessible(page, 'ledger-broken');
      await run.shot(page, 'ledger-not-reconciled');
    } finally {
      // The harness checks every sandbox's ledger after the suite: put the ¥100 back.
      await tamper(-100);
    }
  });
});
