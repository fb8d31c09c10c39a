import { Module } from '@nestjs/common';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { TopupModule } from './topup.module.js';
import { TopupProcessor } from './topup.processor.js';

@Module({ imports: [TopupModule, SandboxModule, LedgerModule], providers: [TopupProcessor] })
export class TopupWorkerModule {}
