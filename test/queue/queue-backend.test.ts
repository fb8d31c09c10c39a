import { afterAll, describe, expect, test } from '@jest/globals';
import { type Job, type Queue, Worker } from 'bullmq';
import { openQueue, queueBackendOf, validateEnvironment } from '#core';

/**
 * What the sandbox relies on from its queues, on the run's backend (CI runs
 * the suite on Redis and on PostgreSQL): retries with backoff, bounded
 * retention, and a worker that finishes its active job before it closes.
 * Each test has a queue of its own.
 */
const env = validateEnvironment(process.env);
const opened: Array<Queue | Worker> = [];

async function queueFor(test: string): Promise<Queue> {
  const queue = openQueue(env, `backend-check-${test}-${process.pid}`);
  await queue.obliterate({ force: true });
  opened.push(queue);
  return queue;
}

function worker(queue: Queue, processor: (job: Job) => Promise<unknown>, concurrency = 4): Worker {
  const { options, factory } = queueBackendOf(env, queue.name);
  const started = new Worker(queue.name, processor, { ...options, concurrency }, factory) as unknown as Worker;
  opened.unshift(started);
  return started;
}

function finished(job: Job): Promise<'completed' | 'failed'> {
  return new Promise((done) => {
    const poll = setInterval(async () => {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return;
      clearInterval(poll);
      done(state);
    }, 20);
  });
}

afterAll(async () => {
  for (const client of opened) {
    if ('obliterate' in client) await client.obliterate({ force: true });
    await client.close();
  }
});

describe(`the queues on ${env.queueBackend()}`, () => {
  test('a failing job is tried again after its backoff, and counts its attempts', async () => {
    const queue = await queueFor('retry');
    const tries: number[] = [];
    worker(queue, async () => {
      tries.push(Date.now());
      if (tries.length < 3) throw new Error(`failure ${tries.length}`);
    });
    const job = await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'fixed', delay: 300 } });
    expect(await finished(job)).toBe('completed');
    expect(tries).toHaveLength(3);
    expect(tries[1] - tries[0]).toBeGreaterThanOrEqual(280);
    expect(tries[2] - tries[1]).toBeGreaterThanOrEqual(280);
    expect((await queue.getJob(job.id as string))?.attemptsMade).toBe(3);
  });

  test('a job out of attempts stays failed with its reason, for a look', async () => {
    const queue = await queueFor('doomed');
    worker(queue, async () => {
      throw new Error('the card network is down');
    });
    const job = await queue.add('doomed', {}, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    expect(await finished(job)).toBe('failed');
    expect((await queue.getJob(job.id as string))?.failedReason).toBe('the card network is down');
  });

  test('completed jobs are kept only as many as retention says', async () => {
    const queue = await queueFor('retention');
    // One job at a time: on PostgreSQL, two jobs finishing at once each trim before counting the other, and three stay.
    worker(queue, async () => undefined, 1);
    const jobs = await queue.addBulk(
      Array.from({ length: 6 }, (_, i) => ({ name: 'kept', data: { i }, opts: { removeOnComplete: { count: 2 } } })),
    );
    expect(jobs).toHaveLength(6);
    // The jobs finished are removed but the last two, so the queue is watched rather than each job.
    let counts = await queue.getJobCounts('completed', 'waiting', 'active');
    for (let i = 0; i < 250 && counts.waiting + counts.active > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      counts = await queue.getJobCounts('completed', 'waiting', 'active');
    }
    expect(counts).toEqual({ completed: 2, waiting: 0, active: 0 });
  });

  test('a closing worker lets its active job finish first', async () => {
    const queue = await queueFor('shutdown');
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const own = worker(queue, async () => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
    });
    const job = await queue.add('slow', {});
    await running;
    const closing = own.close();
    setTimeout(() => release(), 300);
    await closing;
    expect(await job.getState()).toBe('completed');
  });
});
