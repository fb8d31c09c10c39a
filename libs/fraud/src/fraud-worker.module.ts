import { Module } from '@nestjs/common';
import { SandboxModule } from '#sandbox';
import { FraudModule } from './fraud.module.js';
import { FraudProcessor } from './fraud.processor.js';

@Module({ imports: [FraudModule, SandboxModule], providers: [FraudProcessor] })
export class FraudWorkerModule {}
