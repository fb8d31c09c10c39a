import { type BeforeApplicationShutdown, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CoreModule, CoreWorkerModule } from '#core';
import { CaptureWorkerModule } from '#capture';
import { LedgerWorkerModule } from '#ledger';

/** The queue process: the outbox relay and one processor per queue, no HTTP. */
@Module({ imports: [CoreModule, CoreWorkerModule, LedgerWorkerModule, CaptureWorkerModule] })
export class WorkerModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log(`${signal ?? 'shutdown'}: finishing active jobs, then closing queues`);
  }

  onApplicationShutdown(): void {
    this.logger.log('worker stopped');
  }
}
