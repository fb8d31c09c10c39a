import { describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useConsole } from './support/console-browser.js';

const run = useConsole('operator-replay');

/** Small enough to run in a few minutes beside the other tests, big enough for every chapter to happen. */
const CUSTOMERS = 40;
/** The whole story on two busy cores. */
const REPLAY_MS = 8 * 60_000;

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';
const counter = async (page: Page, name: string) => (await page.locator(`[data-counter=${name}]`).textContent())?.trim() ?? '';
const yen = (shown: string) => Number(shown.replace(/[¥,]/g, ''));

/** Waits until the room shows the status, as long as a replay takes. */
async function statusIs(page: Page, status: string, timeout = REPLAY_MS): Promise<void> {
  await page
    .locator(`[data-testid=replay-status]`)
    .and(page.locator(`.status.${status}`))
    .waitFor({ timeout });
}

describe('the Replay room', () => {
  test(
    `a replay of ${CUSTOMERS} customers started on screen runs in the api to its reconciled end, through a reload`,
    async () => {
      const sandbox = await run.h.createSandbox();
      const page = await run.newPage();
      await run.openSandbox(page, sandbox, '/console/operator/replay');
      await page.getByTestId('no-replay').waitFor();
      await run.shot(page, 'none');
      await run.expectAccessible(page, 'no replay yet');

      await page.getByLabel('Customers (20–600)').fill(String(CUSTOMERS));
      await page.getByLabel('Pace').selectOption('fast');
      await page.getByRole('button', { name: 'Start the replay' }).click();
      await statusIs(page, 'running', 30_000);
      // The console now shows the replay's own sandbox, a legacy-2019 one on 2019's clock.
      await page.waitForFunction(() => document.querySelector('[data-testid=profile]')?.textContent?.trim() === 'legacy-2019');

      // Mid-way through the story the page is reloaded: the replay runs in the api, not in the page.
      await page.waitForFunction(() => Number(document.querySelector('[data-counter=signUps]')?.textContent) > 0, undefined, {
        timeout: 120_000,
      });
      await page.reload();
      await page.getByTestId('replay-counters').waitFor();
      expect(await text(page, 'replay-chapter')).toMatch(/^\d\d-\d\d /);
      expect(await text(page, 'replay-date')).toMatch(/2019|2020/);
      await run.shot(page, 'running');
      await run.expectAccessible(page, 'a replay running');

      await page.waitForFunction(() => Number(document.querySelector('[data-counter=victims]')?.textContent) > 0, undefined, {
        timeout: REPLAY_MS,
      });
      await run.shot(page, 'attack');

      await statusIs(page, 'completed');
      expect(await text(page, 'replay-chapter')).toContain('Deadline');
      expect(Number(await counter(page, 'signUps'))).toBe(CUSTOMERS);
      expect(Number(await counter(page, 'victims'))).toBeGreaterThan(0);
      expect(yen(await counter(page, 'damage'))).toBeGreaterThan(0);
      expect(yen(await counter(page, 'refundsPaid'))).toBeGreaterThan(0);
      expect(yen(await counter(page, 'unclaimed'))).toBeGreaterThan(0);
      const rows = page.getByTestId('replay-report').locator('tbody tr');
      expect(await rows.count()).toBeGreaterThanOrEqual(15);
      expect(await page.getByTestId('replay-report').locator('tbody tr[data-ok=false]').count()).toBe(0);
      expect(await text(page, 'replay-outcome')).toBe('Every figure reconciles.');
      await run.shot(page, 'completed');
      await run.expectAccessible(page, 'a replay completed');

      // The attack, as the fraud room of the replay's sandbox shows it.
      const victims = await counter(page, 'victims');
      await page.getByRole('link', { name: 'Watch the attack in the fraud room' }).click();
      await page
        .getByRole('navigation', { name: 'Fraud room sections' })
        .getByRole('button', { name: 'Damage report', exact: true })
        .click();
      await page.waitForFunction((n) => document.querySelector('[data-testid=damage-victims]')?.textContent === n, victims);
      await run.shot(page, 'fraud-room');

      // At a phone's width the report scrolls sideways inside its own region.
      const phone = await run.newPage({ width: 390, height: 844 });
      await phone.goto('/console/');
      const keys = await page.evaluate(() => sessionStorage.getItem('wallet-sandbox:keys'));
      const { secretKey, publishableKey } = JSON.parse(keys as string) as { secretKey: string; publishableKey: string };
      await run.openSandbox(phone, { id: '', secretKey, publishableKey }, '/console/operator/replay');
      await statusIs(phone, 'completed', 30_000);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await run.shot(phone, 'completed-phone');
      await run.expectAccessible(phone, 'a replay completed, on a phone');
    },
    REPLAY_MS + 120_000,
  );

  test('a start refused by the api is shown as its problem, and no sandbox switch happens', async () => {
    const sandbox = await run.h.createSandbox();
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/replay');
    await page.getByTestId('no-replay').waitFor();
    await page.getByLabel('Customers (20–600)').fill('10');
    // The browser's own check stops a number out of range: the form is sent past it to show the api's answer.
    await page.evaluate(() => document.querySelector('form.replay-start')?.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Start the replay' }).click();
    await page.locator('[role=alert][data-code=invalid_request]').waitFor();
    expect(await page.getByTestId('no-replay').isVisible()).toBe(true);
    await run.shot(page, 'refused');
  });
});
