import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Customers, newIdentity } from '../support/customers.js';
import type { SandboxKeys } from '../support/harness.js';
import { useConsole } from './support/console-browser.js';

const run = useConsole('operator-fraud');

const TOKYO = { latitude: 35.6717, longitude: 139.765 };
const OSAKA = { latitude: 34.7025, longitude: 135.4959 };

/**
 * 7pay's pattern through the API: the owner has ¥5,000; an attacker signs in
 * on a phone of their own, tops up ¥10,000 twice with a card and buys
 * cigarettes in Tokyo, then in Osaka seconds later. The payment rules hold the wallet.
 */
async function takeover(sandbox: SandboxKeys) {
  const h = run.h;
  const secret = { token: sandbox.secretKey };
  const c = new Customers(h, sandbox);
  const owner = await c.onboard(newIdentity(), '133.10.20.30');
  await h.post(`/v1/sandbox/wallets/${owner.walletId}/fund`, { amount: 5_000 }, secret);
  const stores = [];
  for (const [name, location] of [
    ['Seven Ginza', TOKYO],
    ['Seven Umeda', OSAKA],
  ] as const) {
    stores.push((await h.post('/v1/stores', { name, location }, secret)).body);
  }
  const login = await c.login({ ...owner.who, deviceId: randomUUID() }, '133.99.1.1');
  const attacker = (await c.verify(login.body.challengeId, await c.latestCode(owner.who.phone), undefined, '133.99.1.1')).body;
  await h.drain();
  const cardId = await c.addCard(owner.who, attacker.accessToken);
  for (const [store, amount] of [
    [stores[0], 9_800],
    [stores[1], 9_500],
  ] as const) {
    await c.stepUp(owner.who, attacker.accessToken, () =>
      h.post('/v1/topups', { amount: 10_000, channel: 'card', cardId }, { token: attacker.accessToken }),
    );
    await h.drain();
    const { code } = (await h.post('/v1/payment-codes', undefined, { token: attacker.accessToken })).body;
    expect((await h.post('/v1/payments', { code, amount, category: 'tobacco' }, { token: store.apiKey })).status).toBe(201);
  }
  await h.drain();
  const [hold] = (await h.get('/v1/holds?status=open', secret)).body.data;
  expect(hold.rules).toEqual(expect.arrayContaining(['payment.impossible_travel', 'payment.high_risk_category']));
  return { owner, hold };
}

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Fraud room sections' }).getByRole('button', { name, exact: true });
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

describe('the fraud room', () => {
  test('a held takeover: the rule hits and the case file, confirm fraud, and the damage report before and after', async () => {
    const sandbox = await run.h.createSandbox();
    const { owner, hold } = await takeover(sandbox);
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/fraud');
    await page.getByRole('heading', { name: 'Fraud room' }).waitFor();

    // The damage report before: nobody confirmed yet.
    await tab(page, 'Damage report').click();
    await page.getByTestId('damage-totals').waitFor();
    expect(await text(page, 'damage-victims')).toBe('0');
    expect(await text(page, 'damage-amount')).toBe('¥0');
    await run.expectAccessible(page, 'damage-before');
    await run.shot(page, 'damage-before');

    // The queue: the open hold, opened.
    await tab(page, 'Holds').click();
    const row = page.locator(`tr[data-hold="${hold.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(owner.walletId);
    await run.expectAccessible(page, 'holds-queue');
    await run.shot(page, 'holds-queue');
    await row.getByRole('button', { name: `Open hold ${hold.id}` }).click();
    const detail = page.getByTestId('hold-detail');
    await detail.getByTestId('case-file').waitFor();
    const travel = detail.locator('tr[data-rule="payment.impossible_travel"]');
    expect(await travel.textContent()).toContain('Payments too far apart to travel');
    // What the rule saw: the speed between the two stores, far above the threshold.
    expect(await travel.textContent()).toMatch(/kmPerHour\s*\d{4,}/);
    expect(await detail.locator('tr[data-rule="payment.high_risk_category"]').textContent()).toContain('tobacco');
    // The case file: the owner's sign-in and the attacker's from a new phone, the two top-ups, the cigarettes.
    expect(await detail.getByTestId('case-signins').locator('tbody tr').count()).toBe(2);
    expect(await detail.getByTestId('case-signins').textContent()).toContain('133.99.1.1');
    expect(await detail.getByTestId('case-signins').textContent()).toContain('new device');
    expect(await detail.getByTestId('case-devices').locator('tbody tr').count()).toBe(2);
    expect(await detail.getByTestId('case-ips').textContent()).toContain('133.10.20.30');
    expect(await detail.getByTestId('case-topups').textContent()).toContain('¥10,000');
    expect(await detail.getByTestId('case-topups').locator('tbody tr').count()).toBe(2);
    const payments = await detail.getByTestId('case-payments').textContent();
    expect(payments).toContain('¥9,800');
    expect(payments).toContain('¥9,500');
    await run.expectAccessible(page, 'hold-detail');
    await run.shot(page, 'hold-detail');

    // Confirm fraud, asked twice.
    await detail.getByLabel('Reason (kept in the audit trail)').fill('the customer did not sign in from the new phone');
    await detail.getByRole('button', { name: 'Confirm fraud…' }).click();
    const question = detail.getByRole('alertdialog');
    expect(await question.textContent()).toContain(`Confirm fraud on ${owner.walletId}?`);
    await run.expectAccessible(page, 'confirm-question');
    await run.shot(page, 'confirm-question');
    await question.getByRole('button', { name: 'Yes, confirm fraud' }).click();
    const outcome = detail.getByTestId('hold-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('Fraud confirmed by operator');
    expect(await outcome.textContent()).toMatch(/Victim recorded: vic_/);
    expect(await text(page, 'hold-status')).toBe('Fraud confirmed');
    expect((await run.h.get(`/v1/holds/${hold.id}`, { token: sandbox.secretKey })).body).toMatchObject({
      status: 'confirmed',
      resolutionReason: 'the customer did not sign in from the new phone',
    });
    await run.shot(page, 'hold-confirmed');
    await run.h.drain();

    // The damage report after: one victim, ¥20,000 of card top-ups, compensated.
    await tab(page, 'Damage report').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=damage-victims]')?.textContent === '1');
    expect(await text(page, 'damage-amount')).toBe('¥20,000');
    await page.locator('[data-testid=compensation-status]', { hasText: 'Paid' }).waitFor();
    const victim = await page.getByTestId('victims-table').locator('tbody tr').textContent();
    expect(victim).toContain(owner.walletId);
    expect(victim).toContain('¥19,300 reimbursed, ¥20,000 reversed');
    expect(await text(page, 'damage-compensated')).toBe('1');
    await page.getByText('The numbers behind the chart').click();
    expect(await page.getByTestId('damage-timeline').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('damage-timeline').locator('tbody tr').last().textContent()).toContain('¥20,000');
    await run.expectAccessible(page, 'damage-after');
    await run.shot(page, 'damage-after');
  });

  test("an operator's hold, and a rule's threshold changed in the form, saved and read back; a wrong one refused", async () => {
    const sandbox = await run.h.createSandbox();
    const c = new Customers(run.h, sandbox);
    const { walletId } = await c.onboard(newIdentity(), '133.10.20.30');
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/fraud');

    await page.getByLabel('Wallet id').fill(walletId);
    await page.getByLabel('Reason', { exact: true }).fill('the customer reports a takeover by phone');
    await page.getByRole('button', { name: 'Place the hold' }).click();
    await page.getByTestId('hold-placed').waitFor();
    await page.getByTestId('hold-detail').getByText('No rule fired: an operator placed this hold.').waitFor();
    const [held] = (await run.h.get('/v1/holds?status=open', { token: sandbox.secretKey })).body.data;
    expect(held).toMatchObject({ walletId, reason: 'the customer reports a takeover by phone' });
    await run.shot(page, 'operator-hold');
    // Again: refused, the wallet is already held.
    await page.getByRole('button', { name: 'Place the hold' }).click();
    await page.locator('[role=alert][data-code=hold_exists]').waitFor();
    await run.expectAccessible(page, 'operator-hold-refused');
    await run.shot(page, 'operator-hold-refused');

    // The customer was mistaken: released, asked twice; the queue's filter then finds it among the released.
    const detail = page.getByTestId('hold-detail');
    await detail.getByRole('button', { name: 'Release…' }).click();
    expect(await detail.getByRole('alertdialog').textContent()).toContain(`Release the hold on ${walletId}?`);
    await detail.getByRole('button', { name: 'Yes, release' }).click();
    await detail.getByTestId('hold-outcome').waitFor();
    expect(await detail.getByTestId('hold-outcome').textContent()).toContain('Released by operator');
    expect((await run.h.get(`/v1/holds/${held.id}`, { token: sandbox.secretKey })).body.status).toBe('released');
    await page.getByText('No holds with this status.').waitFor();
    await page.getByRole('combobox', { name: /^Status/ }).selectOption('released');
    await page.locator(`tr[data-hold="${held.id}"]`, { hasText: 'Released' }).waitFor();
    await run.expectAccessible(page, 'hold-released');
    await run.shot(page, 'hold-released');

    await tab(page, 'Rules and thresholds').click();
    const velocity = page.locator('fieldset[data-rule="topup.velocity_minute"]');
    await velocity.waitFor();
    expect(await velocity.getByLabel('Threshold (count)').inputValue()).toBe('2');
    await run.expectAccessible(page, 'rules');
    await run.shot(page, 'rules');
    await velocity.getByLabel('Threshold (count)').fill('4');
    await velocity.getByLabel('Score', { exact: true }).fill('45');
    await page.locator('fieldset[data-rule="login.new_country"]').getByLabel('On', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save the rules' }).click();
    await page.getByTestId('rules-saved').waitFor();
    const settings = (await run.h.get('/v1/fraud/settings', { token: sandbox.secretKey })).body;
    expect(settings.rules['topup.velocity_minute']).toMatchObject({ threshold: 4, score: 45, enabled: true });
    expect(settings.rules['login.new_country'].enabled).toBe(false);
    expect(settings.rules['topup.velocity_hour']).toMatchObject({ threshold: 5, score: 30 });
    expect(await velocity.getByLabel('Threshold (count)').inputValue()).toBe('4');

    // Thresholds out of order are refused, with the API's words; nothing changes.
    await page.getByLabel('Hold for review from score').fill('10');
    await page.getByRole('button', { name: 'Save the rules' }).click();
    const refusal = page.locator('.rules-form [role=alert]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('invalid_request');
    expect(await refusal.textContent()).toContain('stepUp ≤ review ≤ block');
    expect((await run.h.get('/v1/fraud/settings', { token: sandbox.secretKey })).body.thresholds.review).toBe(60);
    await run.expectAccessible(page, 'rules-refused');
    await run.shot(page, 'rules-refused');
  });

  test('a wave of failed sign-ins from one address shows in the alerts', async () => {
    const sandbox = await run.h.createSandbox('legacy-2019');
    const c = new Customers(run.h, sandbox);
    const ip = '133.200.1.1';
    for (let i = 0; i < 12; i++) {
      const stuffed = await c.login({ email: `stuffed${i}@example.test`, password: 'correct-horse-battery', deviceId: randomUUID() }, ip);
      expect(stuffed.status).toBe(401);
    }
    await run.h.drain();
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/fraud');
    await tab(page, 'Alerts').click();
    const alert = page.locator('tr[data-rule="login.ip_failure_burst"]');
    await alert.waitFor();
    expect(await page.getByTestId('alerts-table').locator('tbody tr').count()).toBe(1);
    const line = await alert.textContent();
    expect(line).toContain('Failed sign-ins from one address');
    expect(line).toContain(ip);
    expect(line).toMatch(/failedAccounts\s*1[0-2]/);
    await run.expectAccessible(page, 'alerts');
    await run.shot(page, 'alerts');
    // Japanese, at a phone's width.
    const phone = await run.newPage({ width: 390, height: 844, locale: 'ja-JP' });
    await run.openSandbox(phone, sandbox, '/console/operator/fraud');
    await phone.getByRole('button', { name: 'アラート' }).click();
    await phone.locator('tr[data-rule="login.ip_failure_burst"]').waitFor();
    await run.expectAccessible(phone, 'alerts-ja-phone');
    await run.shot(phone, 'alerts-ja-phone');
  });
});
