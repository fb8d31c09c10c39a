import { Processor } from '@nestjs/bullmq';
import { Database, type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { LedgerService } from './ledger.service.js';

@Processor('ledger', WORKER_OPTIONS)
export class LedgerProcessor extends QueueProcessor<'ledger'> {
  readonly queue = 'ledger';

  constructor(
    private readonly ledger: LedgerService,
    private readonly db: Database,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'ledger'> = {
    'ledger.expire-on-clock-advance': async ({ sandboxId }) => {
      while ((await this.ledger.expireDue(sandboxId)) > 0);
    },
    'ledger.expire-sweep': async () => {
      while ((await this.ledger.expireDue(null)) > 0);
    },
    'ledger.place-hold': async ({ sandboxId, data, occurredAt }) => {
      await this.db.transaction((tx) =>
        this.ledger.placeHold(tx, sandboxId, {
          holdId: data.holdId,
          walletId: data.walletId,
          reason: data.reason,
          at: new Date(occurredAt),
        }),
      );
    },
    'ledger.release-hold': async ({ sandboxId, data, occurredAt }) => {
      await this.db.transaction((tx) => this.ledger.releaseHold(tx, sandboxId, data.holdId, new Date(occurredAt)));
    },
  };
}
