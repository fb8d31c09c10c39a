import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { SandboxModule } from '#sandbox';
import { FraudProcessor } from './fraud.processor.js';
import { TopupScreening } from './screening.js';

@Module({ imports: [SandboxModule], providers: [TopupScreening], exports: [TopupScreening] })
export class FraudModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('fraud', async (tx, sandboxId) => {
      await tx.rows(`DELETE FROM fraud_screenings WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}

@Module({ imports: [FraudModule, SandboxModule], providers: [FraudProcessor] })
export class FraudWorkerModule {}
