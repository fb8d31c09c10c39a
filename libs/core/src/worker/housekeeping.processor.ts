import { Processor } from '@nestjs/bullmq';
import { IdempotencyStore } from '../idempotency/idempotency.store.js';
import { FailedJobs } from '../queue/failed-jobs.js';
import { type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '../queue/queue-processor.js';

@Processor('housekeeping', WORKER_OPTIONS)
export class HousekeepingProcessor extends QueueProcessor<'housekeeping'> {
  readonly queue = 'housekeeping';

  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly failures: FailedJobs,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'housekeeping'> = {
    'housekeeping.purge-idempotency-keys': async () => {
      while ((await this.idempotency.purgeExpired()) > 0);
    },
    'housekeeping.purge-failed-jobs': async () => {
      while ((await this.failures.purgeExpired()) > 0);
    },
  };
}
