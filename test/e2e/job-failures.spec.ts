import { describe, expect, jest, test } from '@jest/globals';
import { DelayedError, type Job, Worker } from 'bullmq';
import {
  Environment,
  FAILED_JOBS_KEPT_DAYS,
  FailedJobs,
  Queues,
  REDIS,
  type RedisClient,
  WORKER_OPTIONS,
  jobOptions,
  queueBackendOf,
} from '#core';
import { FraudDecisions, FraudProcessor } from '#fraud';
import { TopupsRepository } from '#topup';
import { Customers, type Tokens } from '../support/customers.js';
import { type SandboxKeys, useHarness } from '../support/harness.js';

const h = useHarness();

interface Customer {
  sandbox: SandboxKeys;
  walletId: string;
  tokens: Tokens;
}

async function customer(): Promise<Customer> {
  const sandbox = await h.createSandbox();
  const { walletId, tokens } = await new Customers(h, sandbox).onboard();
  return { sandbox, walletId, tokens };
}

/** Asks for a card top-up with the test card that always succeeds; answers the pending top-up's id. */
async function cardTopup(me: Customer, amount: number): Promise<string> {
  const token = me.tokens.accessToken;
  const card = await h.post('/v1/cards', { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' }, { token });
  expect(card.status).toBe(201);
  const reply = await h.post('/v1/topups', { amount, channel: 'card', cardId: card.body.id }, { token });
  expect(reply.status).toBe(202);
  return reply.body.id;
}

const topupOf = async (me: Customer, id: string) => (await h.get(`/v1/topups/${id}`, { token: me.tokens.accessToken })).body;
const balanceOf = async (me: Customer) => (await h.get('/v1/wallet', { token: me.tokens.accessToken })).body.balance;

async function eventsAbout(me: Customer, type: string, topupId: string): Promise<Array<{ data: Record<string, unknown> }>> {
  const events = await h.get(`/v1/events?type=${type}`, { token: me.sandbox.secretKey });
  return events.body.data.filter((event: { data: { topupId?: string } }) => event.data.topupId === topupId);
}

/** Polls `look` every 50 ms until it answers something, for at most 10 seconds. */
async function eventually<T>(look: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = await look();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('waited 10 seconds in vain');
}

describe('a job that fails for good', () => {
  test('a screening that fails on every attempt fails its top-up closed (screening_failed): recorded, announced once, no money moved', async () => {
    const me = await customer();
    const fraud = h.api.get(Queues).get('fraud');
    // The fraud module cannot screen anything: every attempt throws, as when its tables are unreachable.
    const screening = jest
      .spyOn(h.worker!.get(FraudDecisions), 'screenTopup')
      .mockRejectedValue(new Error('fraud_observations is unreachable'));
    let last: Job;
    try {
      const topupId = await cardTopup(me, 4_000);
      const routed = await eventually(async () =>
        (await fraud.getJobs(['delayed', 'waiting', 'active'])).find(
          (job) => job.name === 'fraud.screen-topup' && job.data.data.topupId === topupId,
        ),
      );
      // The routed job would try for about 25 seconds more; the same job allowed a single attempt is at its last one at once.
      last = await fraud.add('fraud.screen-topup', routed.data, { ...jobOptions('fraud.screen-topup'), attempts: 1 });
      await eventually(async () => ((await topupOf(me, topupId)).status === 'failed' ? true : undefined));
      expect(await last.getState()).toBe('failed');
    } finally {
      // The routed job's next attempt now screens the top-up, which has ended already: nothing changes.
      screening.mockRestore();
    }
    const topupId = (last.data as { data: { topupId: string } }).data.topupId;
    await h.drain(30_000);

    expect(await topupOf(me, topupId)).toMatchObject({ status: 'failed', failureCode: 'screening_failed' });
    expect(await eventsAbout(me, 'fraud.topup_screening_failed', topupId)).toHaveLength(1);
    expect((await eventsAbout(me, 'topup.failed', topupId)).map((event) => event.data.failureCode)).toEqual(['screening_failed']);
    expect(await eventsAbout(me, 'topup.succeeded', topupId)).toEqual([]);
    expect(await balanceOf(me)).toBe(0);

    const recorded = await h.db.rows(
      `SELECT queue, name, job_id, payload->'data'->>'topupId' AS topup_id, error, attempts, on_failure_error FROM failed_jobs WHERE sandbox_id = $1`,
      [me.sandbox.id],
    );
    expect(recorded).toEqual([
      {
        queue: 'fraud',
        name: 'fraud.screen-topup',
        job_id: last.id,
        topup_id: topupId,
        error: 'fraud_observations is unreachable',
        attempts: 1,
        on_failure_error: null,
      },
    ]);
    const ready = await h.get('/health/ready');
    expect(ready.body.details.workers.failedLastDay).toBeGreaterThanOrEqual(1);
  });
});

describe('a job whose worker dies while running it', () => {
  /**
   * A worker of the fraud queue that takes one job and dies holding it, as
   * under kill -9: its lock runs out and is not renewed. A second worker's
   * stall check then finds the job and puts it back, one stall more.
   */
  async function dieHolding(jobId: string): Promise<void> {
    const { options, factory } = queueBackendOf(h.api.get(Environment), 'fraud');
    let taking = () => undefined as void;
    const taken = new Promise<void>((resolve) => (taking = resolve));
    const dying = new Worker(
      'fraud',
      async (job, token) => {
        // Another fraud job (a sweep falling due) goes back untouched, for the real worker to run in a second.
        if (job.id !== jobId) {
          await job.moveToDelayed(Date.now() + 1_000, token);
          throw new DelayedError();
        }
        taking();
        await new Promise(() => undefined);
      },
      { ...options, ...WORKER_OPTIONS, lockDuration: 300 },
      factory,
    );
    try {
      await taken;
    } finally {
      await dying.close(true);
    }
    const checker = new Worker('fraud', null, { ...options, ...WORKER_OPTIONS, autorun: false, stalledInterval: 100 }, factory);
    const fraud = h.api.get(Queues).get('fraud');
    const stallsBefore = (await fraud.getJob(jobId))!.stalledCounter;
    try {
      await eventually(async () => {
        // A queue's stall check runs once per stalledInterval of whichever worker ran it last: the harness's run every 30 s.
        await stallCheckDue(options.prefix);
        await checker.startStalledCheckTimer();
        return (await fraud.getJob(jobId))!.stalledCounter > stallsBefore ? true : undefined;
      });
    } finally {
      await checker.close();
    }
  }

  /** Forgets when the fraud queue's stalled jobs were last looked for, in the backend's own marker. */
  async function stallCheckDue(prefix = 'bull'): Promise<void> {
    const redis = h.api.get<RedisClient | null>(REDIS);
    if (redis) await redis.del(`${prefix}:fraud:stalled-check`);
    else await h.db.rows(`DELETE FROM bullmq.meta WHERE queue = 'fraud' AND field = 'stalled-check'`);
  }

  test('a screening that loses its worker twice is not run again: it fails for good and its top-up fails closed', async () => {
    const me = await customer();
    const token = me.tokens.accessToken;
    const card = await h.post('/v1/cards', { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' }, { token });
    await h.drain();
    // Only the dying workers take fraud jobs until the second death.
    const screener = h.worker!.get(FraudProcessor).worker;
    await screener.pause();
    const fraud = h.api.get(Queues).get('fraud');
    let topupId: string;
    try {
      // A sweep queued first: the dying workers leave it to the real one.
      await h.api.get(Queues).add('fraud.hold-sweep', {});
      const reply = await h.post('/v1/topups', { amount: 3_000, channel: 'card', cardId: card.body.id }, { token });
      expect(reply.status).toBe(202);
      topupId = reply.body.id;
      const routed = await eventually(async () =>
        (await fraud.getJobs(['waiting', 'prioritized', 'delayed'])).find(
          (job) => job.name === 'fraud.screen-topup' && job.data.data.topupId === topupId,
        ),
      );
      await dieHolding(routed.id!);
      await dieHolding(routed.id!);
      expect(await topupOf(me, topupId)).toMatchObject({ status: 'pending' });
    } finally {
      screener.resume();
    }
    await eventually(async () => ((await topupOf(me, topupId)).status === 'failed' ? true : undefined));
    await h.drain();
    expect(await topupOf(me, topupId)).toMatchObject({ status: 'failed', failureCode: 'screening_failed' });
    expect(await eventsAbout(me, 'fraud.topup_screened', topupId)).toEqual([]);
    expect(await balanceOf(me)).toBe(0);
    const recorded = await h.db.rows<{ name: string; error: string }>(`SELECT name, error FROM failed_jobs WHERE sandbox_id = $1`, [
      me.sandbox.id,
    ]);
    expect(recorded).toEqual([
      { name: 'fraud.screen-topup', error: expect.stringContaining('its worker stopped while running it, 2 times') },
    ]);
  });
});

describe('the record of failed jobs', () => {
  test(`keeps each failure ${FAILED_JOBS_KEPT_DAYS} days: the housekeeping job purges the older ones and no other`, async () => {
    const failures = h.api.get(FailedJobs);
    const failed = (jobId: string) => ({
      queue: 'fraud',
      name: 'fraud.screen-topup',
      jobId,
      sandboxId: null,
      payload: {},
      error: 'fraud_observations is unreachable',
      attempts: 5,
      onFailureError: null,
    });
    const [old, kept] = [`purge-old-${Date.now()}`, `purge-kept-${Date.now()}`];
    await failures.record(failed(old));
    await failures.record(failed(kept));
    // Prepared, not measured: failures made long ago.
    await h.db.rows(`UPDATE failed_jobs SET failed_at = now() - make_interval(days => $2) WHERE job_id = $1`, [
      old,
      FAILED_JOBS_KEPT_DAYS + 1,
    ]);
    await h.db.rows(`UPDATE failed_jobs SET failed_at = now() - make_interval(days => $2) WHERE job_id = $1`, [
      kept,
      FAILED_JOBS_KEPT_DAYS - 1,
    ]);

    await h.api.get(Queues).add('housekeeping.purge-failed-jobs', {});
    await h.drain();
    const left = await h.db.rows<{ job_id: string }>(`SELECT job_id FROM failed_jobs WHERE job_id = ANY($1::text[])`, [[old, kept]]);
    expect(left).toEqual([{ job_id: kept }]);
  });
});

describe('a database error is no "not found"', () => {
  test('a database error while reading the top-up to settle fails the job, which retries and settles it, instead of completing with the top-up pending', async () => {
    const me = await customer();
    const find = jest.spyOn(h.worker!.get(TopupsRepository), 'find').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    let reads: number;
    try {
      const topupId = await cardTopup(me, 6_000);
      await h.drain(30_000);
      reads = find.mock.calls.filter(([, , id]) => id === topupId).length;
      expect(await topupOf(me, topupId)).toMatchObject({ status: 'succeeded', failureCode: null });
    } finally {
      find.mockRestore();
    }
    // The first read failed and the job ran again, reading it again.
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(await balanceOf(me)).toBe(6_000);
  });
});
