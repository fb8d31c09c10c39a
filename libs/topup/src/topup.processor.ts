import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor, isLastAttempt } from '#core';
import { SandboxContexts } from '#sandbox';
import { ExpireTopups } from './usecases/expire-topups.js';
import { ResolveHeldTopups } from './usecases/resolve-held-topups.js';
import { SettleTopup } from './usecases/settle-topup.js';

@Processor(QueueName.Topup)
export class TopupProcessor extends QueueProcessor<QueueName.Topup> {
  readonly queue = QueueName.Topup;

  constructor(
    private readonly settle: SettleTopup,
    private readonly held: ResolveHeldTopups,
    private readonly deadlines: ExpireTopups,
    private readonly contexts: SandboxContexts,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Topup> = {
    [JobName.TopupOnScreened]: async (event, job) => {
      const sandbox = await this.contexts.get(event.sandboxId);
      if (sandbox) await this.settle.onScreened(sandbox, event, job.attemptsMade, isLastAttempt(job));
    },
    [JobName.TopupOnScreeningFailed]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.settle.onScreeningFailed(sandbox, data.topupId);
    },
    [JobName.TopupOnAuthenticated]: async (event, job) => {
      const sandbox = await this.contexts.get(event.sandboxId);
      if (sandbox) await this.settle.onAuthenticated(sandbox, event.data.topupId, job.attemptsMade, isLastAttempt(job));
    },
    [JobName.TopupOnHoldReleased]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.held.settle(sandbox, data.topupIds);
    },
    [JobName.TopupOnFraudConfirmed]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.held.cancel(sandbox, data.topupIds);
    },
    [JobName.TopupOnCompensated]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.held.markReversed(sandbox, data.reversedTopupIds);
    },
    [JobName.TopupExpireOnClockAdvance]: async ({ sandboxId }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.deadlines.expireDue(sandbox);
    },
    [JobName.TopupExpireSweep]: async () => {
      for (const sandboxId of await this.deadlines.sandboxesDue()) {
        const sandbox = await this.contexts.get(sandboxId);
        if (sandbox) await this.deadlines.expireDue(sandbox);
      }
    },
  };
}
