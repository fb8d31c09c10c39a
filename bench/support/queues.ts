import { Queue } from 'bullmq';
import { QueueName } from '#core';

/**
 * Read-only clients of the run's BullMQ queues. Events a measurement causes
 * may become jobs (the baselines' events too, since they write the same
 * outbox rows); settling waits for them, so a backlog from one half does not
 * land on the next.
 */
export class QueueWatch {
  private readonly queues: Queue[];

  constructor(redisUrl: string, prefix: string) {
    // Connected as the api and worker connect (libs/core/src/core.module.ts).
    this.queues = Object.values(QueueName).map((name) => new Queue(name, { connection: { url: redisUrl }, prefix }));
  }

  /**
   * Jobs waiting, running or awaiting a retry, over every queue; the next run
   * of a periodic job, always delayed, does not count (as Queues.idle).
   */
  async pending(): Promise<number> {
    let pending = 0;
    for (const queue of this.queues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      pending += Object.values(counts).reduce((total, n) => total + n, 0);
      pending += (await queue.getDelayed(0, 1000)).filter((job) => !job.repeatJobKey).length;
    }
    return pending;
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
