import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { SettleTopup } from './usecases/settle-topup.js';

@Processor(QueueName.Topup)
export class TopupProcessor extends QueueProcessor<QueueName.Topup> {
  readonly queue = QueueName.Topup;

  constructor(
    private readonly settle: SettleTopup,
    private readonly contexts: SandboxContexts,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Topup> = {
    [JobName.TopupOnScreened]: async (event, job) => {
      const sandbox = await this.contexts.get(event.sandboxId);
      if (sandbox) await this.settle.onScreened(sandbox, event, job.attemptsMade);
    },
    [JobName.TopupOnAuthenticated]: async (event, job) => {
      const sandbox = await this.contexts.get(event.sandboxId);
      if (sandbox) await this.settle.onAuthenticated(sandbox, event.data.topupId, job.attemptsMade);
    },
  };
}
