import { Module, type OnModuleInit } from '@nestjs/common';
import { JobsModule, SandboxData } from '#core';
import { CaptureModule } from '#capture';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { DamageReportController } from './damage-report.controller.js';
import { RiskEngine } from './engine.js';
import { FraudAlertsController } from './fraud-alerts.controller.js';
import { FraudSettingsController } from './fraud-settings.controller.js';
import { FraudSettingsRepository } from './fraud-settings.repository.js';
import { HoldsController } from './holds.controller.js';
import { HoldsRepository } from './holds.repository.js';
import { ObservationsRepository } from './observations.repository.js';
import { RuleHitsRepository } from './rule-hits.repository.js';
import { ScreeningsRepository } from './screenings.repository.js';
import { FraudSettingsStore } from './settings.js';
import { AssessDamage } from './usecases/assess-damage.js';
import { Compensation } from './usecases/compensate-victim.js';
import { ConfirmFraud } from './usecases/confirm-fraud.js';
import { FraudDecisions } from './usecases/decide-on-events.js';
import { ExpireHolds } from './usecases/expire-holds.js';
import { ListAlerts } from './usecases/list-alerts.js';
import { PlaceHold } from './usecases/place-hold.js';
import { RaiseAlert } from './usecases/raise-alert.js';
import { ReadCaseFile } from './usecases/read-case-file.js';
import { ReadHolds } from './usecases/read-holds.js';
import { ReleaseHold } from './usecases/release-hold.js';
import { ReportDamage } from './usecases/report-damage.js';
import { UpdateFraudSettings } from './usecases/update-fraud-settings.js';
import { VictimsRepository } from './victims.repository.js';
import { FRAUD_JOBS } from './fraud.jobs.js';

@Module({
  imports: [SandboxModule, LedgerModule, CaptureModule, JobsModule.forFeature(FRAUD_JOBS)],
  controllers: [HoldsController, FraudAlertsController, FraudSettingsController, DamageReportController],
  providers: [
    ObservationsRepository,
    RuleHitsRepository,
    HoldsRepository,
    VictimsRepository,
    ScreeningsRepository,
    FraudSettingsRepository,
    FraudSettingsStore,
    RiskEngine,
    FraudDecisions,
    PlaceHold,
    ReadHolds,
    ReleaseHold,
    ConfirmFraud,
    ExpireHolds,
    ReadCaseFile,
    RaiseAlert,
    ListAlerts,
    AssessDamage,
    Compensation,
    ReportDamage,
    UpdateFraudSettings,
  ],
  exports: [FraudDecisions, Compensation, ExpireHolds],
})
export class FraudModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly victims: VictimsRepository,
    private readonly holds: HoldsRepository,
    private readonly ruleHits: RuleHitsRepository,
    private readonly settings: FraudSettingsRepository,
    private readonly observations: ObservationsRepository,
    private readonly screenings: ScreeningsRepository,
  ) {}

  onModuleInit(): void {
    this.sandboxData.register('fraud', async (tx, sandboxId) => {
      await this.victims.wipe(tx, sandboxId);
      await this.holds.wipe(tx, sandboxId);
      await this.ruleHits.wipe(tx, sandboxId);
      await this.settings.wipe(tx, sandboxId);
      await this.observations.wipe(tx, sandboxId);
      await this.screenings.wipe(tx, sandboxId);
    });
  }
}
