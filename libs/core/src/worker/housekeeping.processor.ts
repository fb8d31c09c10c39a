import { Processor } from '@nestjs/bullmq';
import { IdempotencyStore } from '../idempotency/idempotency.store.js';
import { type JobHandlers, QueueProcessor } from '../queue/queue-processor.js';
import { JobName, QueueName } from '../queue/registry.js';

@Processor(QueueName.Housekeeping)
export class HousekeepingProcessor extends QueueProcessor<QueueName.Housekeeping> {
  readonly queue = QueueName.Housekeeping;

  constructor(private readonly idempotency: IdempotencyStore) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Housekeeping> = {
    [JobName.PurgeIdempotencyKeys]: async () => {
      while ((await this.idempotency.purgeExpired()) > 0);
    },
  };
}
