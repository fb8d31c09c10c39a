import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { LedgerService } from './ledger.service.js';

@Processor(QueueName.Ledger)
export class LedgerProcessor extends QueueProcessor<QueueName.Ledger> {
  readonly queue = QueueName.Ledger;

  constructor(private readonly ledger: LedgerService) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Ledger> = {
    [JobName.LedgerExpireOnClockAdvance]: async ({ sandboxId }) => {
      while ((await this.ledger.expireDue(sandboxId)) > 0);
    },
    [JobName.LedgerExpireSweep]: async () => {
      while ((await this.ledger.expireDue(null)) > 0);
    },
  };
}
