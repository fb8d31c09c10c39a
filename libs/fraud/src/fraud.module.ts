import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { CaptureModule } from '#capture';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { Alerts } from './alerts.js';
import { CaseFiles } from './case-file.js';
import { Compensation } from './compensation.js';
import { DamageReports } from './damage-report.js';
import { FraudDecisions } from './decisions.js';
import { RiskEngine } from './engine.js';
import { FraudController } from './fraud.controllers.js';
import { FraudProcessor } from './fraud.processor.js';
import { Holds } from './holds.js';
import { Observations } from './observations.js';
import { FraudSettingsStore } from './settings.js';

const TABLES = [
  'fraud_victims',
  'fraud_hold_audit',
  'fraud_hold_topups',
  'fraud_holds',
  'fraud_rule_hits',
  'fraud_settings',
  'fraud_observations',
  'fraud_screenings',
];

@Module({
  imports: [SandboxModule, LedgerModule, CaptureModule],
  controllers: [FraudController],
  providers: [Observations, RiskEngine, Holds, Alerts, FraudDecisions, Compensation, DamageReports, FraudSettingsStore, CaseFiles],
  exports: [FraudDecisions, Holds, Compensation],
})
export class FraudModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('fraud', async (tx, sandboxId) => {
      for (const table of TABLES) await tx.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}

@Module({ imports: [FraudModule, SandboxModule], providers: [FraudProcessor] })
export class FraudWorkerModule {}
