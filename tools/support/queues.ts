import type { Queue } from 'bullmq';
import { type Environment, QueueName, openQueue, pendingJobs } from '#core';
import { Redis } from 'ioredis';

/**
 * Read-only clients of a deployment's BullMQ queues, on its backend. Events
 * a step causes may become jobs; settling waits for them, so a backlog from
 * one step does not land on the next.
 */
export class QueueWatch {
  private readonly queues: Queue[];

  constructor(env: Environment) {
    // Connected as the api and worker connect (libs/core/src/queue/queue-backend.ts).
    this.queues = Object.values(QueueName).map((name) => openQueue(env, name));
  }

  /** Jobs waiting, running or awaiting a retry, over every queue (as Queues.idle counts them). */
  pending(): Promise<number> {
    return pendingJobs(this.queues);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}

/**
 * Deletes the Redis keys of one queue prefix. The match ends in ':' so a
 * prefix never sweeps up another run's keys whose prefix merely starts the
 * same. (On PostgreSQL the queues go with the run's database.)
 */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = nextCursor;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
  return deleted;
}
