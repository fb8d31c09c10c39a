import { describe, expect, test } from '@jest/globals';
import { Customers, newIdentity } from '../support/customers.js';
import { useConsole } from './support/console-browser.js';

const run = useConsole('shell');

describe('the console shell', () => {
  test('a pasted secret key opens the sandbox: its name, profile, clock and phase; the clock advances', async () => {
    const sandbox = await run.h.createSandbox('legacy-2019');
    const page = await run.newPage();
    await page.goto('/console/');
    await run.expectAccessible(page, 'enter');
    await run.shot(page, 'enter');

    await page.getByLabel('Secret key').fill('sk_test_' + 'x'.repeat(32));
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('alert').getByText('unauthenticated')).toBeTruthy();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').getAttribute('data-code')).toBe('unauthenticated');

    await page.getByLabel('Secret key').fill(sandbox.secretKey);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('profile').waitFor();
    expect(await page.getByTestId('profile').textContent()).toBe('legacy-2019');
    expect(await page.getByRole('note').textContent()).toContain("7pay's weaknesses");
    expect(await page.getByTestId('phase').textContent()).toBe('Operating');
    // The key stays in this tab only.
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes('sk_test_')))).toBe(false);

    const before = await page.getByTestId('clock').locator('time').getAttribute('datetime');
    await page.getByRole('button', { name: '+1 day' }).click();
    await page.waitForFunction(
      (earlier) => document.querySelector('[data-testid=clock] time')?.getAttribute('datetime') !== earlier,
      before,
    );
    const after = await page.getByTestId('clock').locator('time').getAttribute('datetime');
    expect(new Date(after!).getTime() - new Date(before!).getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    let clock = (await run.h.get('/v1/sandbox/clock', { token: sandbox.secretKey })).body;
    expect(clock.offsetSeconds).toBeGreaterThanOrEqual(24 * 3600);
    // Any amount: 90 minutes.
    await page.getByText('Other…').click();
    await page.getByLabel('By').fill('90');
    await page.getByLabel('Unit').selectOption({ label: 'minutes' });
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.waitForFunction(
      (earlier) => document.querySelector('[data-testid=clock] time')?.getAttribute('datetime') !== earlier,
      after,
    );
    clock = (await run.h.get('/v1/sandbox/clock', { token: sandbox.secretKey })).body;
    expect(clock.offsetSeconds).toBeGreaterThanOrEqual(24 * 3600 + 90 * 60);
    expect(clock.offsetSeconds).toBeLessThan(24 * 3600 + 91 * 60);
    await run.expectAccessible(page, 'header');
    await run.shot(page, 'header-legacy');
  });

  test('the reset link of the e-mail, PUBLIC_URL/reset-password?token=…, lands on the console with its token', async () => {
    const reply = await fetch(`${run.url}/reset-password?token=abc123`, { redirect: 'manual' });
    expect(reply.status).toBe(302);
    expect(reply.headers.get('location')).toBe('/console/reset-password?token=abc123');
    const page = await fetch(`${run.url}/console/reset-password?token=abc123`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1];
    const script = await fetch(`${run.url}${asset}`);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${run.url}/`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
  });

  test('the inbox lists what the sandbox sent, newest first, and filters by address', async () => {
    const sandbox = await run.h.createSandbox();
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/inbox');
    const customers = new Customers(run.h, sandbox);
    const first = await customers.onboard(newIdentity());
    // The worker sends some of a customer's messages: all of the first's go before the second signs up.
    await run.h.drain();
    const second = await customers.onboard(newIdentity());
    await run.h.drain();
    // Newest first: once the inbox has polled, a message to the second customer (an SMS or an e-mail) heads the list.
    await page.waitForFunction(
      (addresses) => {
        const newest = document.querySelector('[data-testid=message]')?.textContent ?? '';
        return addresses.some((address) => newest.includes(address));
      },
      [second.who.phone, second.who.email],
    );
    const total = await page.getByTestId('message').count();
    expect(total).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Address or phone number').fill(first.who.phone);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=message]').length < n, total);
    for (const text of await page.getByTestId('message').allTextContents()) expect(text).toContain(first.who.phone);
    await run.expectAccessible(page, 'inbox');
    await run.shot(page, 'inbox');
  });

  test("the operator's rooms each open at their own address and from the rooms' menu", async () => {
    const sandbox = await run.h.createSandbox();
    const page = await run.newPage();
    await run.openSandbox(page, sandbox, '/console/operator/fraud');
    await page.getByRole('heading', { name: 'Fraud room' }).waitFor();
    const rooms = page.getByRole('navigation', { name: "Operator's rooms" });
    for (const room of ['Operator home', 'Service timeline', 'Refund room', 'Events and webhooks', 'Ledger']) {
      await rooms.getByRole('link', { name: room }).click();
      await page.getByRole('heading', { name: room, level: 2 }).waitFor();
    }
    expect(new URL(page.url()).pathname).toBe('/console/operator/ledger');
  });
});
