import { Injectable, Logger } from '@nestjs/common';
import { type JobPayloads, Queues, RequestContext, jobOptions } from '#core';
import { DeliveriesRepository } from '../deliveries.repository.js';

type DeliverJob = JobPayloads['webhooks.deliver'];

/** Due attempts taken per sweep or clock advance; a larger backlog goes on at the next sweep. */
const DUE_BATCH = 1_000;

const automaticJobId = (deliveryId: string, attempt: number | 'manual'): string => `${deliveryId}.${attempt}`;

/**
 * Puts delivery attempts on the `webhooks` queue. An automatic attempt's job
 * id is `<delivery>.<attempt>`, so the fan-out, the sweep and a clock
 * advance may all ask for it and it still runs once.
 */
@Injectable()
export class AttemptQueue {
  private readonly logger = new Logger(AttemptQueue.name);

  constructor(
    private readonly queues: Queues,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async enqueue(attempts: Array<Omit<DeliverJob, 'requestId'> & { jobId?: string }>): Promise<void> {
    if (attempts.length === 0) return;
    const requestId = RequestContext.requestId();
    await this.queues.get('webhooks').addBulk(
      attempts.map(({ jobId, ...attempt }) => ({
        name: 'webhooks.deliver',
        data: { ...attempt, requestId },
        opts: jobOptions('webhooks.deliver', { jobId: jobId ?? automaticJobId(attempt.deliveryId, attempt.attempt) }),
      })),
    );
  }

  /** Enqueues the automatic attempts that fell due on their sandbox's clock (`sandboxId` null: every sandbox). */
  async enqueueDue(sandboxId: string | null): Promise<void> {
    const due = await this.deliveries.due(sandboxId, DUE_BATCH);
    await Promise.all(due.map((row) => this.forgetFailedJob(row.sandboxId, automaticJobId(row.id, row.attempt))));
    await this.enqueue(due.map((row) => ({ sandboxId: row.sandboxId, deliveryId: row.id, attempt: row.attempt })));
  }

  /**
   * An attempt still due whose job failed for good (its retries used up)
   * would stay stuck: BullMQ keeps the failed job under the attempt's id and
   * drops a new job with that id. Removed, the attempt can be queued again.
   */
  private async forgetFailedJob(sandboxId: string, jobId: string): Promise<void> {
    const queue = this.queues.get('webhooks');
    if ((await queue.getJobState(jobId)) !== 'failed') return;
    await queue.remove(jobId);
    this.logger.warn(`webhook attempt ${jobId} of ${sandboxId} failed for good in the queue; queued again`);
  }
}
