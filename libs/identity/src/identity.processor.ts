import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { ApplyForcedReset } from './usecases/apply-forced-reset.js';
import { DemandStepUp } from './usecases/demand-step-up.js';
import { SecureAccount } from './usecases/secure-account.js';

/** What the identity module does when other modules speak (fraud, the service lifecycle). */
@Processor(QueueName.Identity)
export class IdentityProcessor extends QueueProcessor<QueueName.Identity> {
  readonly queue = QueueName.Identity;

  constructor(
    private readonly contexts: SandboxContexts,
    private readonly secureAccount: SecureAccount,
    private readonly demandStepUp: DemandStepUp,
    private readonly forcedReset: ApplyForcedReset,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Identity> = {
    /** The account was taken over: every session ends and every device must pass the second factor again. */
    [JobName.IdentityOnFraudConfirmed]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (!sandbox || !data.userId) return;
      await this.secureAccount.execute(sandbox, { id: data.userId, walletId: data.walletId });
    },
    /** A risky sign-in: no session of the customer counts as stepped up any more. */
    [JobName.IdentityOnStepUpDemanded]: ({ sandboxId, data }) => this.demandStepUp.execute(sandboxId, data.userId),
    /** The operator forced a password reset of every customer: one page of them. */
    [JobName.IdentityForcePasswordReset]: async (job) => {
      const sandbox = await this.contexts.get(job.sandboxId);
      if (sandbox) await this.forcedReset.batch(sandbox, job);
    },
  };
}
