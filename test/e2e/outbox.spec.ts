import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { Database, JOB_CATALOG, type JobName, Outbox, OutboxRelay, Queues, SandboxTime, newId } from '#core';
import { LedgerService, SystemAccount } from '#ledger';
import { Customers } from '../support/customers.js';
import { useHarness, type SandboxKeys } from '../support/harness.js';
import { Receiver } from '../support/receiver.js';

const h = useHarness();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
});
afterAll(async () => {
  await receiver.close();
});

/** A funded wallet with ¥600 of its ¥1,000 held by a pending transfer that expires in a minute of sandbox time. */
async function walletWithExpiringHold(sandbox: SandboxKeys): Promise<{ wallet: string; pendingId: string }> {
  const wallet = await h.createWallet(sandbox, 1_000);
  const ledger = h.api.get(LedgerService);
  const db = h.api.get(Database);
  const store = newId('str');
  const [{ now }] = await db.rows<{ now: Date }>(`SELECT now FROM sandbox_clocks WHERE sandbox_id = $1`, [sandbox.id]);
  await ledger.openAccount(db, sandbox.id, store, 'store', now);
  const pending = await ledger.reserve(db, {
    sandboxId: sandbox.id,
    key: newId('req'),
    debit: wallet,
    credit: store,
    amount: 600,
    code: 'payment',
    at: now,
    expiresAt: new Date(now.getTime() + 60_000),
  });
  return { wallet, pendingId: pending.id };
}

async function expiredEvents(sandbox: SandboxKeys, pendingId: string): Promise<unknown[]> {
  const reply = await h.get('/v1/events?type=ledger.pending_transfer.expired&limit=100', { token: sandbox.secretKey });
  return reply.body.data.filter((e: any) => e.data.pendingTransferId === pendingId);
}

describe('transactional outbox', () => {
  test('a clock advance reaches the ledger through the outbox and the worker: the hold expires once', async () => {
    const sandbox = await h.createSandbox();
    const { wallet, pendingId } = await walletWithExpiringHold(sandbox);
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).body).toMatchObject({
      balance: 1_000,
      available: 400,
    });

    await h.post('/v1/sandbox/clock/advance', { seconds: 30 }, { token: sandbox.secretKey });
    await h.drain();
    expect(await h.api.get(LedgerService).pendingStatus(h.db, sandbox.id, pendingId)).toBe('pending');

    const advanced = await h.post(
      '/v1/sandbox/clock/advance',
      { seconds: 31 },
      { token: sandbox.secretKey, headers: { 'x-request-id': 'advance-31' } },
    );
    await h.drain();
    // The job is keyed by its event and carries the request id into the worker's logs.
    const [event] = await h.db.rows<{ id: string }>(
      `SELECT id FROM outbox_events WHERE sandbox_id = $1 AND request_id = 'advance-31' AND type = 'sandbox.clock_advanced'`,
      [sandbox.id],
    );
    const job = await h.api.get(Queues).get('ledger').getJob(event.id);
    expect(job?.data).toMatchObject({
      eventId: event.id,
      sandboxId: sandbox.id,
      type: 'sandbox.clock_advanced',
      requestId: 'advance-31',
    });
    expect(advanced.headers.get('request-id')).toBe('advance-31');
    // The expiry the job caused carries the same request id.
    const expiryEvents = await h.db.rows(`SELECT 1 FROM outbox_events WHERE sandbox_id = $1 AND request_id = 'advance-31' AND type = $2`, [
      sandbox.id,
      'ledger.pending_transfer.expired',
    ]);
    expect(expiryEvents).toHaveLength(1);
    expect(await h.api.get(LedgerService).pendingStatus(h.db, sandbox.id, pendingId)).toBe('expired');
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, { token: sandbox.secretKey })).body).toMatchObject({
      balance: 1_000,
      available: 1_000,
    });
    expect(await expiredEvents(sandbox, pendingId)).toHaveLength(1);
  });

  test("a crash between commit and enqueue, then between enqueue and mark, still delivers every subscriber's effect exactly once", async () => {
    const relay = h.worker!.get(OutboxRelay);
    const workerLedger = h.worker!.get(LedgerService);
    const runs = jest.spyOn(workerLedger, 'expireDue');
    const sandbox = await h.createSandbox();
    const secret = { token: sandbox.secretKey };
    const { wallet, pendingId } = await walletWithExpiringHold(sandbox);
    // Something for every subscriber of sandbox.clock_advanced to do once the clock passes the hour:
    // the ledger expires the pending transfer, fraud lifts an hour-long hold, the lifecycle applies a
    // scheduled phase, the top-up module fails an ATM top-up whose code was never used, and webhooks
    // deliver the event itself.
    await h.post('/v1/fraud/settings', { holdExpiryHours: 1 }, secret);
    const customer = await new Customers(h, sandbox).onboard();
    const atm = (await h.post('/v1/topups', { amount: 10_000, channel: 'atm' }, { token: customer.tokens.accessToken })).body;
    expect(atm.status).toBe('pending');
    const hold = (await h.post('/v1/holds', { walletId: wallet, reason: 'a reported takeover' }, secret)).body;
    const now = new Date((await h.get('/v1/sandbox/clock', secret)).body.now);
    const inHalfAnHour = new Date(now.getTime() + 1_800_000).toISOString();
    expect((await h.post('/v1/service/transitions', { to: 'card_topup_suspended', effectiveAt: inHalfAnHour }, secret)).status).toBe(201);
    const hook = (await h.post('/v1/webhook-endpoints', { url: `${receiver.url}/clock`, events: ['sandbox.clock_advanced'] }, secret)).body;
    await h.drain();
    const subscribers = JOB_CATALOG.routesOf('sandbox.clock_advanced');
    expect([...subscribers].sort()).toEqual([
      'fraud.expire-holds',
      'ledger.expire-on-clock-advance',
      'lifecycle.apply-due',
      'topup.expire-on-clock-advance',
      'webhooks.on-event',
    ]);

    // The process "dies" after committing: the event row exists, nobody enqueued it.
    await relay.stop();
    const advanced = await h.post('/v1/sandbox/clock/advance', { seconds: 3_601 }, secret);
    expect(advanced.status).toBe(200);
    const [event] = await h.db.rows<{ id: string; relayed_at: Date | null }>(
      `SELECT id, relayed_at FROM outbox_events WHERE sandbox_id = $1 AND type = $2`,
      [sandbox.id, 'sandbox.clock_advanced'],
    );
    expect(event.relayed_at).toBeNull();

    // The next relay "dies" after enqueueing, before marking the rows relayed.
    const mark = jest.spyOn(relay as any, 'markRelayed').mockRejectedValueOnce(new Error('killed before commit'));
    await expect(relay.relayBatch()).rejects.toThrow('killed before commit');
    mark.mockRestore();
    await waitFor(async () => (await h.api.get(LedgerService).pendingStatus(h.db, sandbox.id, pendingId)) === 'expired');
    const [still] = await h.db.rows<{ relayed_at: Date | null }>(`SELECT relayed_at FROM outbox_events WHERE id = $1`, [event.id]);
    expect(still.relayed_at).toBeNull();

    // Force a real second delivery to every subscriber: the first jobs are gone from Redis, so the
    // re-relay (once the dead relay's claim lapses) enqueues them all again.
    const jobOf = (name: JobName) => h.api.get(Queues).get(JOB_CATALOG.queueOf(name)).getJob(event.id);
    for (const name of subscribers) {
      await waitFor(async () => (await jobOf(name))?.finishedOn !== undefined);
      await h.api.get(Queues).get(JOB_CATALOG.queueOf(name)).remove(event.id);
    }
    relay.start();
    await h.drain();

    for (const name of subscribers) {
      const again = await jobOf(name);
      expect({ name, ran: again?.finishedOn !== undefined, failed: again?.failedReason ?? null }).toEqual({
        name,
        ran: true,
        failed: null,
      });
    }
    const deliveries = runs.mock.calls.filter(([sandboxId]) => sandboxId === sandbox.id).length;
    runs.mockRestore();
    expect(deliveries).toBeGreaterThanOrEqual(2);
    // Ledger: the pending transfer expired once.
    expect(await expiredEvents(sandbox, pendingId)).toHaveLength(1);
    expect((await h.get(`/v1/sandbox/wallets/${wallet}`, secret)).body).toMatchObject({
      balance: 1_000,
      available: 1_000,
    });
    // Fraud: the hold expired once.
    expect((await h.get(`/v1/holds/${hold.id}`, secret)).body.status).toBe('expired');
    const released = (await h.get('/v1/events?type=hold.released&limit=100', secret)).body.data;
    expect(released.map((e: any) => [e.data.holdId, e.data.resolution])).toEqual([[hold.id, 'expired']]);
    // Lifecycle: the scheduled phase took effect once.
    expect((await h.get('/v1/service', secret)).body.phase).toBe('card_topup_suspended');
    const changed = (await h.get('/v1/events?type=service.phase_changed&limit=100', secret)).body.data;
    expect(changed.map((e: any) => e.data.to)).toEqual(['card_topup_suspended']);
    // Top-ups: the unused deposit code failed its top-up once.
    expect((await h.get(`/v1/topups/${atm.id}`, secret)).body).toMatchObject({ status: 'failed', failureCode: 'deposit_code_expired' });
    const failed = (await h.get('/v1/events?type=topup.failed&limit=100', secret)).body.data;
    expect(failed.map((e: any) => e.data.topupId)).toEqual([atm.id]);
    // Webhooks: the event reached the endpoint once, and the log shows one attempt.
    expect(receiver.at('/clock').map((r) => JSON.parse(r.body).id)).toEqual([event.id]);
    const log = (await h.get(`/v1/events/${event.id}/deliveries`, secret)).body.data;
    expect(log.map((a: any) => [a.endpointId, a.attempt, a.status])).toEqual([[hook.id, 1, 'succeeded']]);
    const [after] = await h.db.rows<{ relayed_at: Date | null }>(`SELECT relayed_at FROM outbox_events WHERE id = $1`, [event.id]);
    expect(after.relayed_at).not.toBeNull();
  });

  test('a state change that rolls back leaves no event behind', async () => {
    const sandbox = await h.createSandbox();
    const before = await h.get('/v1/events?limit=100', { token: sandbox.secretKey });
    const ledger = h.api.get(LedgerService);
    const walletId = newId('wal');
    const at = new SandboxTime(0).now();
    await expect(
      h.db.transaction(async (tx) => {
        await ledger.openAccount(tx, sandbox.id, walletId, 'wallet', at);
        await h.api.get(Outbox).publish(tx, { sandboxId: sandbox.id, type: 'wallet.created', data: { walletId }, occurredAt: at });
        // Debiting the empty wallet fails, so the whole transaction rolls back.
        await ledger.transfer(tx, {
          sandboxId: sandbox.id,
          key: newId('req'),
          debit: walletId,
          credit: SystemAccount.Fees,
          amount: 1,
          code: 'fee',
          at,
        });
      }),
    ).rejects.toMatchObject({ code: 'insufficient_balance' });
    const after = await h.get('/v1/events?limit=100', { token: sandbox.secretKey });
    expect(after.body.data).toEqual(before.body.data);
    expect(await ledger.walletBalance(h.db, sandbox.id, walletId)).toBeNull();
  });
});

describe('event log', () => {
  test('lists events newest first with cursor pagination, filters by type and reads one', async () => {
    const sandbox = await h.createSandbox();
    const wallets = [];
    for (let i = 0; i < 3; i++) wallets.push(await h.createWallet(sandbox, 100 * (i + 1)));

    const all = await h.get('/v1/events?limit=100', { token: sandbox.secretKey });
    expect(all.status).toBe(200);
    expect(all.body.data.map((e: any) => e.type)).toEqual([
      'wallet.funded',
      'wallet.created',
      'wallet.funded',
      'wallet.created',
      'wallet.funded',
      'wallet.created',
      'sandbox.created',
    ]);
    expect(all.body.has_more).toBe(false);

    const first = await h.get('/v1/events?limit=4', { token: sandbox.secretKey });
    expect(first.body.has_more).toBe(true);
    const last = first.body.data[3].id;
    const second = await h.get(`/v1/events?limit=4&starting_after=${last}`, { token: sandbox.secretKey });
    expect(second.body.has_more).toBe(false);
    expect([...first.body.data, ...second.body.data]).toEqual(all.body.data);

    const funded = await h.get('/v1/events?type=wallet.funded', { token: sandbox.secretKey });
    expect(funded.body.data.map((e: any) => e.data.amount)).toEqual([300, 200, 100]);

    const one = await h.get(`/v1/events/${all.body.data[0].id}`, { token: sandbox.secretKey });
    expect(one.body).toEqual(all.body.data[0]);
    expect(one.body).toMatchObject({ object: 'event', type: 'wallet.funded', data: { walletId: wallets[2], amount: 300, balance: 300 } });
    expect(one.body.requestId).toMatch(/^req_/);

    const unknown = await h.get('/v1/events/evt_00000000000000000000000000', { token: sandbox.secretKey });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
  });

  test('the request id a client sends is carried into the events it caused', async () => {
    const sandbox = await h.createSandbox();
    await h.post('/v1/sandbox/wallets', undefined, { token: sandbox.secretKey, headers: { 'x-request-id': 'client-trace-42' } });
    const events = await h.get('/v1/events?type=wallet.created', { token: sandbox.secretKey });
    expect(events.body.data[0].requestId).toBe('client-trace-42');
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
