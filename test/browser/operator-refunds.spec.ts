import { afterEach, describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Queues } from '#core';
import type { SandboxKeys } from '../support/harness.js';
import { BANK, BOUNCING, fileForWallet, openRefundWindow } from '../support/refund-window.js';
import { useConsole } from './support/console-browser.js';

const run = useConsole('operator-refunds');

/**
 * A sandbox in its refund window: six funded wallets, four claimed by the
 * operator (two to the bouncing account, one by postal payout slip), the
 * claims' payout runs finished, two balances left unclaimed.
 */
async function refundWindow(): Promise<{ sandbox: SandboxKeys; bounced: string; second: string }> {
  const h = run.h;
  const sandbox = await h.createSandbox();
  const wallets = [];
  for (const amount of [12_000, 3_000, 5_500, 800, 2_500, 700]) wallets.push(await h.createWallet(sandbox, amount));
  await openRefundWindow(h, sandbox);
  const file = (walletId: string, body: Record<string, unknown>) => fileForWallet(h, sandbox, walletId, body);
  const bounced = await file(wallets[0], { method: 'bank_transfer', bankAccount: BOUNCING });
  await file(wallets[1], { method: 'bank_transfer', bankAccount: BANK });
  await file(wallets[2], { method: 'postal_payout' });
  const second = await file(wallets[3], { method: 'bank_transfer', bankAccount: BOUNCING });
  await h.drain();
  return { sandbox, bounced, second };
}

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Refund room sections' }).getByRole('button', { name, exact: true });
/** A queue the test paused, resumed whatever happens, or the harness could not drain. */
let resumeAfter: { resume(): Promise<void> } | undefined;
afterEach(async () => {
  await resumeAfter?.resume();
});

const statusOf = (page: Page) => page.getByTestId('claim-detail').getByTestId('claim-status');

describe('the refund room', () => {
  test("claims corrected, held and released; a payout run's progress reaches 100 % and the refund report reconciles", async () => {
    const { sandbox, bounced, second } = await refundWindow();
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/refunds');
    await page.getByRole('heading', { name: 'Refund room' }).waitFor();

    // Claims by status, with counts: the bounced one opened.
    const filter = page.getByRole('group', { name: 'Claims by status' });
    await filter.getByRole('button', { name: 'Bounced 2' }).waitFor();
    await filter.getByRole('button', { name: /Bounced/ }).click();
    const row = page.locator(`tr[data-claim="${bounced}"]`);
    await row.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-claim]').length === 2);
    await run.expectAccessible(page, 'claims');
    await run.shot(page, 'claims');
    await row.getByRole('button', { name: `Open claim ${bounced}` }).click();
    const detail = page.getByTestId('claim-detail');
    await detail.getByTestId('masked-account').waitFor();
    expect(await detail.getByTestId('masked-account').textContent()).toContain('･･･0404');
    expect(await detail.getByTestId('claim-history').textContent()).toContain('account_not_found');

    // The workers hold back the payout jobs from here on, so the run started by hand below finds the claims waiting.
    const payouts = run.h.api.get(Queues).get('lifecycle');
    await payouts.pause();
    resumeAfter = payouts;

    // A wrong account number: the API's own words, beside the field.
    const form = page.getByRole('form', { name: 'Correct the bank account' });
    await form.getByLabel('Account number (7 digits)').fill('12345');
    await form.getByRole('button', { name: 'Correct the account' }).click();
    await form.locator('[data-code="invalid_request"]').waitFor();
    await form.getByLabel('Account number (7 digits)').and(page.locator('[aria-invalid="true"]')).waitFor();
    await run.expectAccessible(page, 'correction-refused');
    await run.shot(page, 'correction-refused');

    // Corrected: the claim goes back to be paid.
    await form.getByLabel('Account number (7 digits)').fill('7654321');
    await form.getByRole('button', { name: 'Correct the account' }).click();
    await form.getByText('The account was corrected.').waitFor();
    await statusOf(page).filter({ hasText: 'Submitted' }).waitFor();
    expect(await detail.getByTestId('masked-account').textContent()).toContain('･･･4321');

    // The other bounced claim: held with a reason, then released (its account still bounces).
    await detail.getByRole('button', { name: 'Close' }).click();
    await page
      .locator(`tr[data-claim="${second}"]`)
      .getByRole('button', { name: `Open claim ${second}` })
      .click();
    await statusOf(page).filter({ hasText: 'Bounced' }).waitFor();
    const hold = page.getByRole('form', { name: 'Hold the claim' });
    await hold.getByLabel('Reason (optional)').fill('checking the claimant by phone');
    await hold.getByRole('button', { name: 'Hold' }).click();
    await statusOf(page).filter({ hasText: 'On hold' }).waitFor();
    await run.expectAccessible(page, 'claim-held');
    await run.shot(page, 'claim-held');
    await page.getByRole('form', { name: 'Release the claim' }).getByRole('button', { name: 'Release' }).click();
    await statusOf(page).filter({ hasText: 'Submitted' }).waitFor();

    // A payout run started by hand: both claims wait for it, then it is watched live to 100 %.
    await tab(page, 'Payout runs').click();
    await page.getByRole('button', { name: 'Start a payout run' }).click();
    const bar = page.getByRole('progressbar');
    await page.getByTestId('progress-words').filter({ hasText: '0 of 2 claims reached' }).waitFor();
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    await run.expectAccessible(page, 'payout-run-waiting');
    await run.shot(page, 'payout-run-waiting');
    await payouts.resume();
    await page.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100');
    expect(await page.getByTestId('progress-words').textContent()).toContain('completed: 2 of 2 claims reached');
    expect(await page.getByTestId('progress-paid').textContent()).toBe('1');
    expect(await page.getByTestId('progress-amount').textContent()).toBe('¥12,000');
    await page.locator('.time-chart canvas').waitFor();
    await run.expectAccessible(page, 'payout-run');
    await run.shot(page, 'payout-run');
    const watchedRun = await page.locator('tr[data-run][aria-current="true"]').getAttribute('data-run');

    // The unclaimed balances: the two wallets nobody claimed.
    await tab(page, 'Unclaimed').click();
    await page.getByTestId('unclaimed-table').locator('tbody tr').nth(1).waitFor();
    expect(await page.getByTestId('unclaimed-table').locator('tbody tr').count()).toBe(2);
    await run.expectAccessible(page, 'unclaimed');
    await run.shot(page, 'unclaimed');

    // The report: every claimed balance refunded, and it reconciles with the ledger.
    await tab(page, 'Refund report').click();
    const verdict = page.getByTestId('report-reconciles');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('The refund report reconciles with the ledger.');
    expect(await page.getByTestId('report-refunded').textContent()).toContain('¥20,500');
    expect(await page.getByTestId('report-awaiting').textContent()).toContain('¥800');
    expect(await page.getByTestId('report-unclaimed').textContent()).toContain('¥3,200');
    await run.expectAccessible(page, 'report');
    await run.shot(page, 'report');

    // On a phone: the same report, and the claims, fit 390 px.
    const phone = await run.newPage({ width: 390, height: 844 });
    await run.openSandbox(phone, sandbox, '/console/operator/refunds');
    await phone.locator('tr[data-claim]').first().waitFor();
    await run.expectAccessible(phone, 'phone-claims');
    await run.shot(phone, 'phone-claims');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await tab(phone, 'Payout runs').click();
    // The run watched above, whichever run is newest (claims start runs of their own).
    await phone.locator(`tr[data-run="${watchedRun}"]`).getByRole('button').click();
    await phone.locator(`tr[data-run="${watchedRun}"][aria-current="true"]`).waitFor();
    await phone.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100');
    await phone.locator('.time-chart canvas').waitFor();
    await run.expectAccessible(phone, 'phone-payout-run');
    await run.shot(phone, 'phone-payout-run');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The refund report in Japanese, on a phone.
    const ja = await run.newPage({ width: 390, height: 844, locale: 'ja-JP' });
    await run.openSandbox(ja, sandbox, '/console/operator/refunds');
    await ja.locator('tr[data-claim]').first().waitFor();
    await ja.getByRole('button', { name: '払戻し報告', exact: true }).click();
    await ja.getByTestId('report-reconciles').waitFor();
    await run.expectAccessible(ja, 'report-ja-phone');
    await run.shot(ja, 'report-ja-phone');
    expect(await ja.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }, 60_000);
});
