import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Receiver } from '../support/receiver.js';
import { useConsole } from './support/console-browser.js';

const run = useConsole('operator-events');
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver.close();
});

describe("the operator's events room", () => {
  test('an endpoint made in the room fails, is fixed and redelivered; new events appear live; endpoints are managed; a failure is simulated', async () => {
    const sandbox = await run.h.createSandbox();
    receiver.answerWith(() => ({ status: 503, body: 'receiver down for maintenance' }));
    const page = await run.newPage({ width: 1280, height: 900 });
    await run.openSandbox(page, sandbox, '/console/operator/events');
    await page.getByRole('heading', { name: 'Events and webhooks' }).waitFor();
    await page.getByTestId('stream-state').getByText('Live').waitFor();
    // Marks this document: still there at the end means no reload happened.
    await page.evaluate(() => ((globalThis as unknown as { roomMark: number }).roomMark = 42));
    await run.expectAccessible(page, 'room');
    await run.shot(page, 'room');

    // An endpoint at a receiver that fails for now, made in the room; its secret shown once.
    await page.getByLabel('Endpoint URL').fill(`${receiver.url}/room-hooks`);
    await page.getByLabel('Event types', { exact: true }).fill('wallet.funded, payment.captured');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByTestId('secret').textContent())!;
    expect(secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    await page.getByTestId('endpoint').first().waitFor();
    const [endpoint] = (await run.h.get('/v1/webhook-endpoints', { token: sandbox.secretKey })).body.data;
    expect(endpoint).toMatchObject({ url: `${receiver.url}/room-hooks`, events: ['wallet.funded', 'payment.captured'], status: 'enabled' });
    await run.expectAccessible(page, 'endpoint-created');
    await run.shot(page, 'endpoint-created');

    // An event made through the API while the page is open arrives in the live list.
    const wallet = await run.h.createWallet(sandbox, 1_200);
    await run.h.drain();
    const funded = (await run.h.get('/v1/events?type=wallet.funded&limit=1', { token: sandbox.secretKey })).body.data[0];
    expect(funded.data).toMatchObject({ walletId: wallet, amount: 1_200 });
    const row = page.locator(`[data-testid=event-row][data-event-id="${funded.id}"]`);
    await row.waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { roomMark?: number }).roomMark)).toBe(42);
    expect(await page.getByText(/\d+ arrived while this page was open/).textContent()).not.toContain(' 0 arrived');
    // Newest first.
    expect(await page.getByTestId('event-row').first().getAttribute('data-event-id')).toBe(
      (await run.h.get('/v1/events?limit=1', { token: sandbox.secretKey })).body.data[0].id,
    );

    // Its delivery failed: the attempt with its status, latency and the receiver's answer.
    await row.click();
    const detail = page.getByTestId('event-detail');
    expect(await detail.locator('.event-json').textContent()).toContain(`"id": "${funded.id}"`);
    const failed = detail.locator('[data-testid=attempt][data-status=failed]');
    await failed.first().waitFor();
    expect(await failed.count()).toBe(1);
    const failedText = (await failed.first().textContent())!;
    expect(failedText).toContain('Automatic #1');
    expect(failedText).toContain('HTTP 503');
    expect(failedText).toContain('receiver down for maintenance');
    expect(failedText).toMatch(/\d+ ms/);
    expect(failedText).toContain('Next try');
    expect(receiver.at('/room-hooks')).toHaveLength(1);
    await run.expectAccessible(page, 'delivery-failed');
    await run.shot(page, 'delivery-failed');

    // The receiver is fixed; redelivery from the room gets through and joins the attempts.
    receiver.answerWith(() => ({ status: 200, body: 'thanks, got it' }));
    await detail.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('status').getByText('Sent again to 1 endpoint').waitFor();
    const redelivered = detail.locator('[data-testid=attempt][data-status=succeeded][data-trigger=manual]');
    await redelivered.waitFor();
    expect(await redelivered.textContent()).toContain('thanks, got it');
    expect(await detail.getByTestId('attempt').count()).toBe(2);
    const deliveries = (await run.h.get(`/v1/events/${funded.id}/deliveries`, { token: sandbox.secretKey })).body.data;
    expect(deliveries.map((a: { trigger: string; status: string }) => `${a.trigger}:${a.status}`)).toEqual([
      'manual:succeeded',
      'automatic:failed',
    ]);
    const received = receiver.at('/room-hooks');
    expect(received).toHaveLength(2);
    expect(JSON.parse(received[1].body).id).toBe(funded.id);
    expect(received[1].body).toBe(received[0].body);
    await run.expectAccessible(page, 'redelivered');
    await run.shot(page, 'redelivered');

    // Secret rotated (shown once, new), disabled, enabled again.
    const card = page.getByTestId('endpoint').first();
    await card.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByText('New signing secret of').waitFor();
    const rotated = (await page.getByTestId('secret').textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await card.getByText('previous secret still signs until').waitFor();
    await card.getByRole('button', { name: 'Disable' }).click();
    await page.locator('[data-testid=endpoint][data-status=disabled]').waitFor();
    expect(await card.textContent()).toContain('Disabled (by the operator)');
    expect((await run.h.get(`/v1/webhook-endpoints/${endpoint.id}`, { token: sandbox.secretKey })).body).toMatchObject({
      status: 'disabled',
      disabledReason: 'operator',
    });
    await run.shot(page, 'endpoint-disabled');
    await card.getByRole('button', { name: 'Enable' }).click();
    await page.locator('[data-testid=endpoint][data-status=enabled]').waitFor();
    expect((await run.h.get(`/v1/webhook-endpoints/${endpoint.id}`, { token: sandbox.secretKey })).body.status).toBe('enabled');
    // The type filter keeps only that type, the disable's event among the rest hidden.
    await page.getByRole('combobox', { name: /^Event type/ }).selectOption('wallet.funded');
    expect(await page.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-type')))).toEqual([
      'wallet.funded',
    ]);
    await run.shot(page, 'filtered');
    await page.getByRole('combobox', { name: /^Event type/ }).selectOption('');

    // Fault injection: a simulated refusal answers like the real one and writes nothing.
    await page.getByRole('combobox', { name: /^Simulated case/ }).selectOption('rate_limited');
    await page.getByRole('button', { name: 'Send with Sandbox-Simulate' }).click();
    const result = page.getByTestId('fault-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Answered 429, Sandbox-Simulated: rate_limited');
    expect(await result.textContent()).toContain('Retry-After: 2');
    expect(await result.getByRole('alert').getAttribute('data-code')).toBe('rate_limited');
    expect((await run.h.get('/v1/webhook-endpoints', { token: sandbox.secretKey })).body.data).toHaveLength(1);
    await result.scrollIntoViewIfNeeded();
    await run.expectAccessible(page, 'fault-injection');
    await run.shot(page, 'fault-injection');
  }, 120_000);

  test('in Japanese, at a phone width, the room reads and works', async () => {
    const sandbox = await run.h.createSandbox();
    await run.h.createWallet(sandbox, 500);
    const page = await run.newPage({ width: 390, height: 844, locale: 'ja-JP' });
    await run.openSandbox(page, sandbox, '/console/operator/events');
    await page.getByRole('heading', { name: 'イベントと Webhook' }).waitFor();
    await page.getByTestId('stream-state').getByText('ライブ').waitFor();
    await page.getByTestId('event-row').first().click();
    await page.getByText('配信はありません').waitFor();

    // The page's own failing receiver: every delivery to it fails with the 404 this server answers.
    await page.getByRole('button', { name: '常に失敗するエンドポイントを追加' }).click();
    await page.getByTestId('secret').waitFor();
    const [failing] = (await run.h.get('/v1/webhook-endpoints', { token: sandbox.secretKey })).body.data;
    expect(failing).toMatchObject({ url: `${run.url}/webhook-demo/always-fails`, events: ['*'], status: 'enabled' });
    await run.h.createWallet(sandbox, 700);
    await run.h.drain();
    const funded = (await run.h.get('/v1/events?type=wallet.funded&limit=1', { token: sandbox.secretKey })).body.data[0];
    await page.locator(`[data-testid=event-row][data-event-id="${funded.id}"]`).click();
    const failed = page.locator('[data-testid=attempt][data-status=failed]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('HTTP 404');
    expect(await failed.textContent()).toContain('自動 1 回目');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await run.expectAccessible(page, 'room-ja-phone');
    await run.shot(page, 'room-ja-phone');
  }, 60_000);
});
