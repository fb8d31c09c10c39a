import { WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { RequestContext } from '../http/request-context.js';
import type { JobName, JobOfQueue, JobPayloads, QueueName } from './registry.js';

export type JobHandlers<Q extends QueueName> = {
  [J in JobOfQueue<Q>]: (data: JobPayloads[J], job: Job<JobPayloads[J]>) => Promise<void>;
};

/**
 * The one processor of a queue: it switches on the job name to a handler
 * that calls a use case. Handlers throw on failure so BullMQ retries them.
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost implements OnApplicationBootstrap {
  abstract readonly queue: Q;
  protected abstract readonly handlers: JobHandlers<Q>;
  protected readonly logger = new Logger(this.constructor.name);

  /** Job names this processor can run; checked against the registry at startup. */
  handledJobs(): JobName[] {
    return Object.keys(this.handlers) as JobName[];
  }

  setConcurrency(concurrency: number): void {
    this.worker.concurrency = concurrency;
  }

  onApplicationBootstrap(): void {
    // The queue's store failed under the worker (it retries by itself); logged, not an unhandled 'error' event.
    this.worker.on('error', (error) => this.logger.error(`queue ${this.queue}: ${error.message}`));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
  }

  async process(job: Job): Promise<void> {
    const handler = (this.handlers as Record<string, ((data: unknown, job: Job) => Promise<void>) | undefined>)[job.name];
    if (!handler) throw new UnrecoverableError(`queue ${this.queue} has no handler for job ${job.name}`);
    const requestId = (job.data as { requestId?: string | null }).requestId ?? `job:${job.id}`;
    await RequestContext.run({ requestId }, () => handler(job.data, job));
  }
}
