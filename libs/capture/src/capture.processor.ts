import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { SettlePayment } from './usecases/settle-payment.js';

@Processor('capture', WORKER_OPTIONS)
export class CaptureProcessor extends QueueProcessor<'capture'> {
  readonly queue = 'capture';

  constructor(private readonly settle: SettlePayment) {
    super();
  }

  protected readonly handlers: JobHandlers<'capture'> = {
    'capture.expire-authorization': async ({ data }, { sandbox }) => {
      if (data.code === 'payment') await this.settle.expire(sandbox, data.pendingTransferId);
    },
    'capture.on-fraud-confirmed': ({ data }, { sandbox }) => this.settle.voidSince(sandbox, data.walletId, new Date(data.windowStart)),
  };
}
