import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QueueProcessor, WORKER_OPTIONS } from '#core';
import { RetirePaymentCodes } from './usecases/retire-payment-codes.js';

/** What the barcode module does when identity speaks: codes die with the sessions that were shown them. */
@Processor('barcode', WORKER_OPTIONS)
export class BarcodeProcessor extends QueueProcessor<'barcode'> {
  readonly queue = 'barcode';

  constructor(private readonly retireCodes: RetirePaymentCodes) {
    super();
  }

  protected readonly handlers: JobHandlers<'barcode'> = {
    'barcode.on-sessions-ended': async ({ sandboxId, data, occurredAt }) => {
      await this.retireCodes.execute(sandboxId, data.walletId, data.deviceIds, new Date(occurredAt));
    },
  };
}
