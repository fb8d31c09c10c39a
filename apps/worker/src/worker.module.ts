import { type BeforeApplicationShutdown, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CoreModule, CoreWorkerModule } from '#core';
import { BarcodeWorkerModule } from '#barcode';
import { CaptureWorkerModule } from '#capture';
import { FraudWorkerModule } from '#fraud';
import { IdentityWorkerModule } from '#identity';
import { LedgerWorkerModule } from '#ledger';
import { LifecycleWorkerModule } from '#lifecycle';
import { TopupWorkerModule } from '#topup';
import { WebhooksWorkerModule } from '#webhooks';

/** The queue process: the outbox relay and one processor per queue, no HTTP. */
@Module({
  imports: [
    CoreModule,
    CoreWorkerModule,
    LedgerWorkerModule,
    BarcodeWorkerModule,
    CaptureWorkerModule,
    TopupWorkerModule,
    FraudWorkerModule,
    IdentityWorkerModule,
    LifecycleWorkerModule,
    WebhooksWorkerModule,
  ],
})
export class WorkerModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log(`${signal ?? 'shutdown'}: finishing active jobs, then closing queues`);
  }

  onApplicationShutdown(): void {
    this.logger.log('worker stopped');
  }
}
