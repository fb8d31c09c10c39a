import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { AttemptDelivery } from './usecases/attempt-delivery.js';
import { AttemptQueue } from './usecases/attempt-queue.js';
import { FanOut } from './usecases/fan-out.js';

@Processor('webhooks', WORKER_OPTIONS)
export class WebhooksProcessor extends QueueProcessor<'webhooks'> {
  readonly queue = 'webhooks';

  constructor(
    private readonly fanOut: FanOut,
    private readonly attempt: AttemptDelivery,
    private readonly attempts: AttemptQueue,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'webhooks'> = {
    'webhooks.on-event': (event) => this.fanOut.onEvent(event),
    'webhooks.deliver': ({ sandboxId, deliveryId, attempt }) => this.attempt.execute(sandboxId, deliveryId, attempt),
    'webhooks.retry-sweep': () => this.attempts.enqueueDue(null),
  };
}
