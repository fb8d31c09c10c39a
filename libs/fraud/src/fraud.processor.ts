import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { TopupScreening } from './screening.js';

@Processor(QueueName.Fraud)
export class FraudProcessor extends QueueProcessor<QueueName.Fraud> {
  readonly queue = QueueName.Fraud;

  constructor(
    private readonly screening: TopupScreening,
    private readonly contexts: SandboxContexts,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Fraud> = {
    [JobName.FraudScreenTopup]: async (event) => {
      const sandbox = await this.contexts.get(event.sandboxId);
      if (sandbox) await this.screening.screen(sandbox, event);
    },
  };
}
