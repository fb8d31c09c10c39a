import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { ApplyForcedReset } from './usecases/apply-forced-reset.js';
import { DemandStepUp } from './usecases/demand-step-up.js';
import { SecureAccount } from './usecases/secure-account.js';

/** What the identity module does when other modules speak (fraud, the service lifecycle). */
@Processor('identity', WORKER_OPTIONS)
export class IdentityProcessor extends QueueProcessor<'identity'> {
  readonly queue = 'identity';

  constructor(
    private readonly secureAccount: SecureAccount,
    private readonly demandStepUp: DemandStepUp,
    private readonly forcedReset: ApplyForcedReset,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<'identity'> = {
    /** The account was taken over: every session ends and every device must pass the second factor again. */
    'identity.on-fraud-confirmed': async ({ data }, { sandbox }) => {
      if (data.userId) await this.secureAccount.execute(sandbox, { id: data.userId, walletId: data.walletId });
    },
    /** A risky sign-in: no session of the customer counts as stepped up any more. */
    'identity.on-step-up-demanded': ({ sandboxId, data }) => this.demandStepUp.execute(sandboxId, data.userId),
    /** The operator forced a password reset of every customer: one page of them. */
    'identity.force-password-reset': (job, { sandbox }) => this.forcedReset.batch(sandbox, job),
  };
}
