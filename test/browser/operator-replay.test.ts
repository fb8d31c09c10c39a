import { describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useConsole } from './support/console-browser.js';

const run = useConsole('operator-replay');

/** The fewest the room takes, and enough for every chapter, victims, claims and unclaimed balances (seed 2019). */
const CUSTOMERS = 20;
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
      // On a phone, in Japanese.
      const phone = await run.newPage({ width: 390, height: 844, locale: 'ja-JP' });
      await phone.goto('/console/');
      const keys = await page.evaluate(() => sessionStorage.getItem('wallet-sandbox:keys'));
      const { secretKey, publishableKey } = JSON.parse(keys as string) as { secretKey: string; publishableKey: string };
      await run.openSandbox(phone, { id: '', secretKey, publishableKey }, '/console/operator/replay');
      await statusIs(phone, 'completed', 30_000);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await run.shot(phone, 'completed-ja-phone');
      await run.expectAccessible(phone, 'a replay completed, on a phone');
    },
    REPLAY_MS + 120_000,
  );

  test('a replay attached from the command line shows up by itself; a lost or failed one says so', async () => {
    const h = run.h;
    const sandbox = await h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/replay');
    await page.getByTestId('no-replay').waitFor();

    // What an attached runner reports, as the endpoints take it.
    await h.post('/v1/sandbox/replay', { customers: 100, seed: 7, pace: 'presenter' }, secret);
    const counters = { signUps: 100, victims: 4, damage: 61_000, refundsPaid: 0, unclaimed: 512_000 };
    const points = [
      { at: '2019-07-01T03:00:00.000Z', damage: 0, refundsPaid: 0, unclaimed: 240_000 },
      { at: '2019-07-02T10:00:00.000Z', damage: 30_000, refundsPaid: 0, unclaimed: 470_000 },
      { at: '2019-07-02T20:00:00.000Z', damage: 61_000, refundsPaid: 0, unclaimed: 512_000 },
    ];
    const progress = { status: 'running', chapter: '07-03 Stuffing wave 2', sandboxAt: points[2].at, counters, points };
    expect((await h.post('/v1/sandbox/replay/progress', progress, secret)).status).toBe(200);
    await statusIs(page, 'running', 10_000);
    expect(await text(page, 'replay-chapter')).toBe('07-03 Stuffing wave 2');
    expect(await text(page, 'replay-date')).toContain('3 Jul 2019, 05:00:00');
    expect(await counter(page, 'damage')).toBe('¥61,000');

    // The runner goes silent: after a minute the replay reads as lost.
    await h.db.rows(`UPDATE sandbox_replays SET heartbeat_at = now() - interval '61 seconds' WHERE sandbox_id = $1`, [sandbox.id]);
    await page.reload();
    await statusIs(page, 'lost', 10_000);
    await page.getByRole('alert').filter({ hasText: 'has not reported for a minute' }).waitFor();
    await run.shot(page, 'lost');
    await run.expectAccessible(page, 'a lost replay');

    await h.post('/v1/sandbox/replay/progress', { status: 'failed', failure: 'the api at http://127.0.0.1:3000 went away' }, secret);
    await page.reload();
    await statusIs(page, 'failed', 10_000);
    await page.getByRole('alert').filter({ hasText: 'The replay failed: the api at http://127.0.0.1:3000 went away' }).waitFor();
    // A failed replay may be followed by a new one.
    await page.getByRole('button', { name: 'Start the replay' }).waitFor();
    await run.shot(page, 'failed');
    await run.expectAccessible(page, 'a failed replay');
  });

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
