import { Module } from '@nestjs/common';
import { CoreModule, CoreWorkerModule } from '#core';
import { LedgerWorkerModule } from '#ledger';

/** The queue process: the outbox relay and one processor per queue, no HTTP. */
@Module({ imports: [CoreModule, CoreWorkerModule, LedgerWorkerModule] })
export class WorkerModule {}
