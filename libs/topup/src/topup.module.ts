import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { SandboxModule } from '#sandbox';
import { CardNetwork } from './card-network.js';
import { TopupSettingsStore } from './settings.js';
import { FundingSourcesController, TestFundingSourcesController, TopupSandboxController, TopupsController } from './topup.controllers.js';
import { TopupProcessor } from './topup.processor.js';
import { TopupsRepository } from './topups.repository.js';
import { ExpireTopups } from './usecases/expire-topups.js';
import { FailTopup } from './usecases/fail-topup.js';
import { FundingSources } from './usecases/funding-sources.js';
import { RequestTopup } from './usecases/request-topup.js';
import { ResolveHeldTopups } from './usecases/resolve-held.js';
import { SettleTopup } from './usecases/settle-topup.js';

const TABLES = [
  'topup_daily_usage',
  'topup_points',
  'topup_atm_codes',
  'topup_topups',
  'topup_bank_accounts',
  'topup_network_tokens',
  'topup_cards',
  'topup_settings',
];

@Module({
  imports: [LedgerModule, SandboxModule, IdentityModule],
  controllers: [FundingSourcesController, TestFundingSourcesController, TopupsController, TopupSandboxController],
  providers: [
    CardNetwork,
    TopupSettingsStore,
    TopupsRepository,
    FundingSources,
    RequestTopup,
    FailTopup,
    SettleTopup,
    ResolveHeldTopups,
    ExpireTopups,
  ],
  exports: [SettleTopup, TopupsRepository, ResolveHeldTopups, ExpireTopups],
})
export class TopupModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    this.sandboxData.register('topup', async (tx, sandboxId) => {
      for (const table of TABLES) await tx.rows(`DELETE FROM ${table} WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}

@Module({ imports: [TopupModule, SandboxModule, LedgerModule], providers: [TopupProcessor] })
export class TopupWorkerModule {}
