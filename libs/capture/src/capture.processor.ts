import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { SandboxContexts } from '#sandbox';
import { SettlePayment } from './usecases/settle-payment.js';

@Processor(QueueName.Capture)
export class CaptureProcessor extends QueueProcessor<QueueName.Capture> {
  readonly queue = QueueName.Capture;

  constructor(
    private readonly settle: SettlePayment,
    private readonly contexts: SandboxContexts,
  ) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Capture> = {
    [JobName.CaptureExpireAuthorization]: async ({ sandboxId, data }) => {
      if (data.code !== 'payment') return;
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.settle.expire(sandbox, data.pendingTransferId);
    },
    [JobName.CaptureOnFraudConfirmed]: async ({ sandboxId, data }) => {
      const sandbox = await this.contexts.get(sandboxId);
      if (sandbox) await this.settle.voidSince(sandbox, data.walletId, new Date(data.windowStart));
    },
  };
}
