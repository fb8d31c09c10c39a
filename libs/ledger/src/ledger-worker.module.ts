import { Module } from '@nestjs/common';
import { LedgerModule } from './ledger.module.js';
import { LedgerProcessor } from './ledger.processor.js';

@Module({ imports: [LedgerModule], providers: [LedgerProcessor] })
export class LedgerWorkerModule {}
