import { Processor } from '@nestjs/bullmq';
import { Database, type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { LedgerService } from './ledger.service.js';

@Processor(QueueName.Ledger)
export class LedgerProcessor extends QueueProcessor<QueueName.Ledger> {
  readonly queue = QueueName.Ledger;

  constructor(
    private readonly ledger: LedgerService,
    private readonly db: Database,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Ledger> = {
    [JobName.LedgerExpireOnClockAdvance]: async ({ sandboxId }) => {
      while ((await this.ledger.expireDue(sandboxId)) > 0);
    },
    [JobName.LedgerExpireSweep]: async () => {
      while ((await this.ledger.expireDue(null)) > 0);
    },
    [JobName.LedgerApplyHold]: async ({ sandboxId, data, occurredAt }) => {
      await this.db.transaction((tx) =>
        this.ledger.applyHold(tx, sandboxId, {
          holdId: data.holdId,
          walletId: data.walletId,
          reason: data.reason,
          at: new Date(occurredAt),
        }),
      );
    },
    [JobName.LedgerLiftHold]: async ({ sandboxId, data, occurredAt }) => {
      await this.db.transaction((tx) => this.ledger.liftHold(tx, sandboxId, data.holdId, new Date(occurredAt)));
    },
  };
}
