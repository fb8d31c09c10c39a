import { Module, type OnModuleInit } from '@nestjs/common';
import { JobsModule, SandboxData } from '#core';
import { BarcodeModule } from '#barcode';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { AtmCodesRepository } from './atm-codes.repository.js';
import { CardNetwork } from './card-network.js';
import { FundingSourcesController } from './funding-sources.controller.js';
import { FundingSourcesRepository } from './funding-sources.repository.js';
import { NetworkTokensRepository } from './network-tokens.repository.js';
import { PointsRepository } from './points.repository.js';
import { TopupSettingsStore } from './settings.js';
import { TestFundingSourcesController } from './test-funding-sources.controller.js';
import { TopupSandboxController } from './topup-sandbox.controller.js';
import { TopupSettingsRepository } from './topup-settings.repository.js';
import { TopupsController } from './topups.controller.js';
import { TopupsRepository } from './topups.repository.js';
import { DepositAtmCash } from './usecases/deposit-atm-cash.js';
import { ExpireTopups } from './usecases/expire-topups.js';
import { FailTopup } from './usecases/fail-topup.js';
import { GetTopup } from './usecases/get-topup.js';
import { ManageBankAccounts } from './usecases/manage-bank-accounts.js';
import { ManageCards } from './usecases/manage-cards.js';
import { ManagePoints } from './usecases/manage-points.js';
import { RequestTopup } from './usecases/request-topup.js';
import { ResolveHeldTopups } from './usecases/resolve-held-topups.js';
import { SettleTopup } from './usecases/settle-topup.js';
import { UpdateTopupSettings } from './usecases/update-topup-settings.js';
import { VerifyThreeDSecure } from './usecases/verify-three-d-secure.js';
import { TOPUP_JOBS } from './topup.jobs.js';

@Module({
  imports: [LedgerModule, SandboxModule, IdentityModule, BarcodeModule, JobsModule.forFeature(TOPUP_JOBS)],
  controllers: [FundingSourcesController, TestFundingSourcesController, TopupsController, TopupSandboxController],
  providers: [
    TopupsRepository,
    FundingSourcesRepository,
    NetworkTokensRepository,
    AtmCodesRepository,
    PointsRepository,
    TopupSettingsRepository,
    // Barcode's own service, stateless over the caller's transaction: how a register top-up redeems a payment code.
    CardNetwork,
    TopupSettingsStore,
    ManageCards,
    ManageBankAccounts,
    RequestTopup,
    DepositAtmCash,
    ManagePoints,
    GetTopup,
    VerifyThreeDSecure,
    UpdateTopupSettings,
    FailTopup,
    SettleTopup,
    ResolveHeldTopups,
    ExpireTopups,
  ],
  exports: [SettleTopup, TopupsRepository, ResolveHeldTopups, ExpireTopups],
})
export class TopupModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly points: PointsRepository,
    private readonly atmCodes: AtmCodesRepository,
    private readonly topups: TopupsRepository,
    private readonly sources: FundingSourcesRepository,
    private readonly tokens: NetworkTokensRepository,
    private readonly settings: TopupSettingsRepository,
  ) {}

  onModuleInit(): void {
    this.sandboxData.register('topup', async (tx, sandboxId) => {
      await this.points.wipe(tx, sandboxId);
      await this.atmCodes.wipe(tx, sandboxId);
      await this.topups.wipe(tx, sandboxId);
      await this.sources.wipe(tx, sandboxId);
      await this.tokens.wipe(tx, sandboxId);
      await this.settings.wipe(tx, sandboxId);
    });
  }
}
