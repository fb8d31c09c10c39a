import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, JobName, QueueName, QueueProcessor } from '#core';
import { RetirePaymentCodes } from './usecases/retire-payment-codes.js';

/** What the barcode module does when identity speaks: codes die with the sessions that were shown them. */
@Processor(QueueName.Barcode)
export class BarcodeProcessor extends QueueProcessor<QueueName.Barcode> {
  readonly queue = QueueName.Barcode;

  constructor(private readonly retireCodes: RetirePaymentCodes) {
    super();
  }

  protected readonly handlers: JobHandlers<QueueName.Barcode> = {
    [JobName.BarcodeOnSessionsEnded]: async ({ sandboxId, data, occurredAt }) => {
      await this.retireCodes.execute(sandboxId, data.walletId, data.deviceIds, new Date(occurredAt));
    },
  };
}
