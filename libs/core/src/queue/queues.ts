import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JOB_CATALOG, jobOptions } from './job-catalog.js';
import { type JobName, type JobPayloads, type QueueName, jobIdOf } from './jobs.js';

/** Every registered BullMQ queue by name, and typed enqueueing. */
@Injectable()
export class Queues {
  constructor(private readonly moduleRef: ModuleRef) {}

  get(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  all(): Queue[] {
    return JOB_CATALOG.queues().map((name) => this.get(name));
  }

  /**
   * Enqueues a job; `key` (e.g. an event id and a batch number) makes its id,
   * so the same step enqueued twice runs once.
   */
  async add<J extends JobName>(name: J, data: JobPayloads[J], key?: ReadonlyArray<string | number>): Promise<void> {
    await this.get(JOB_CATALOG.queueOf(name)).add(name, data, jobOptions(name, key ? { jobId: jobIdOf(key) } : {}));
  }

  /** Registers the periodic jobs (idempotent: one scheduler per job name). */
  async schedulePeriodicJobs(): Promise<void> {
    for (const { job, queue, everyMs } of JOB_CATALOG.periodic()) {
      await this.get(queue).upsertJobScheduler(job, { every: everyMs }, { name: job, data: {}, opts: jobOptions(job) });
    }
  }

  /** True when no queue has work waiting, running or awaiting a retry (see pendingJobs). */
  async idle(): Promise<boolean> {
    return (await pendingJobs(this.all())) === 0;
  }
}

/**
 * Jobs waiting, running or awaiting a retry, over the queues given. The next
 * run of a periodic job, always delayed, does not count.
 */
export async function pendingJobs(queues: Queue[]): Promise<number> {
  let pending = 0;
  for (const queue of queues) {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
    pending += Object.values(counts).reduce((total, n) => total + n, 0);
    pending += (await queue.getDelayed(0, 1000)).filter((job) => !job.repeatJobKey).length;
  }
  return pending;
}
