import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { AttemptDelivery } from './usecases/attempt-delivery.js';
import { AttemptQueue } from './usecases/attempt-queue.js';
import { FanOut } from './usecases/fan-out.js';

@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends QueueProcessor<QueueName.Webhooks> {
  readonly queue = QueueName.Webhooks;

  constructor(
    private readonly fanOut: FanOut,
    private readonly attempt: AttemptDelivery,
    private readonly attempts: AttemptQueue,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Webhooks> = {
    [JobName.WebhooksOnEvent]: (event) => this.fanOut.onEvent(event),
    [JobName.WebhooksDeliver]: ({ sandboxId, deliveryId, attempt }) => this.attempt.execute(sandboxId, deliveryId, attempt),
    [JobName.WebhooksRetrySweep]: () => this.attempts.enqueueDue(null),
  };
}
