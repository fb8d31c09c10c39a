import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { type Environment, JOB_CATALOG, deleteRedisKeys, openQueue, openRedis, pendingJobs } from '#core';
// The worker's modules, whose loading registers every queue in JOB_CATALOG.
import '../../apps/worker/src/worker.module.js';

/**
 * Read-only clients of a deployment's BullMQ queues, on its backend. Events
 * a step causes may become jobs; settling waits for them, so a backlog from
 * one step does not land on the next.
 */
export class QueueWatch {
  private readonly queues: Queue[];

  constructor(env: Environment) {
    // Connected as the api and worker connect (libs/core/src/queue/queue-backend.ts).
    this.queues = JOB_CATALOG.queues().map((name) => openQueue(env, name));
  }

  /** Jobs waiting, running or awaiting a retry, over every queue (as Queues.idle counts them). */
  pending(): Promise<number> {
    return pendingJobs(this.queues);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}

/** Two quiet looks in a row: a job that finishes between the outbox check and the queue check may have written new events. */
const QUIET_LOOKS = 2;

/**
 * Waits until the worker has relayed every event and finished every job
 * they started: what comes next then sees every consequence of what came
 * before, so a seed replays the same way. `look` runs before each look (to
 * stop at once when a process died).
 */
export async function waitUntilSettled(pool: pg.Pool, queues: QueueWatch, timeoutMs: number, look: () => void = () => {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < QUIET_LOOKS;) {
    look();
    const { events, jobs } = await backlog(pool, queues);
    quiet = events === 0 && jobs === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error(`the worker did not settle within ${timeoutMs / 1000} s`);
    await sleep(quiet > 0 ? 20 : 10);
  }
}

/** What the outbox and the queues still hold: events not relayed, and jobs not finished. */
export async function backlog(pool: pg.Pool, queues: QueueWatch): Promise<{ events: number; jobs: number }> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL');
  return { events: rows[0].n, jobs: await queues.pending() };
}

/**
 * Deletes a deployment's Redis keys (queues, throttles), on the server or
 * every master of the cluster. The match ends in ':' so a prefix never
 * sweeps up another run's keys whose prefix merely starts the same. (On
 * PostgreSQL the queues go with the run's database.)
 */
export async function deleteQueueKeys(env: Environment): Promise<number> {
  const redis = openRedis(env, { maxRetriesPerRequest: 2, lazyConnect: true });
  try {
    return await deleteRedisKeys(redis, `${env.QUEUE_PREFIX}:*`);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
