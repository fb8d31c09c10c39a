import { Processor } from '@nestjs/bullmq';
import { type FinalFailureHandlers, type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { Compensation } from './usecases/compensate-victim.js';
import { FraudDecisions } from './usecases/decide-on-events.js';
import { ExpireHolds } from './usecases/expire-holds.js';

@Processor('fraud', WORKER_OPTIONS)
export class FraudProcessor extends QueueProcessor<'fraud'> {
  readonly queue = 'fraud';

  constructor(
    private readonly decisions: FraudDecisions,
    private readonly compensation: Compensation,
    private readonly holds: ExpireHolds,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'fraud'> = {
    'fraud.screen-topup': (event, { sandbox }) => this.decisions.screenTopup(sandbox, event),
    'fraud.observe': (event, { sandbox }) => this.decisions.onEvent(sandbox, event),
    'fraud.compensate': (event, { sandbox }) => this.compensation.compensate(sandbox, event),
    'fraud.on-payment-voided': ({ data }, { sandbox }) => this.compensation.resume(sandbox, data.walletId),
    'fraud.expire-holds': async (_event, { sandbox }) => void (await this.holds.expireDue(sandbox)),
    'fraud.hold-sweep': async () => {
      for (const sandboxId of await this.holds.sandboxesDue()) await this.inSandbox(sandboxId, (sandbox) => this.holds.expireDue(sandbox));
    },
  };

  protected override readonly onFinalFailure: FinalFailureHandlers<'fraud'> = {
    // Fails closed: a top-up nobody could screen is not funded.
    'fraud.screen-topup': (event, _error, { sandbox }) => this.decisions.screeningFailed(sandbox, event),
  };
}
