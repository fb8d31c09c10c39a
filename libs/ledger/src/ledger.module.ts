import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { AccountsRepository } from './accounts.repository.js';
import { LedgerReadsController } from './ledger-reads.controller.js';
import { LedgerService } from './ledger.service.js';
import { PendingTransfersRepository } from './pending-transfers.repository.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { TransfersRepository } from './transfers.repository.js';
import { ReadLedgerAccounts } from './usecases/read-ledger-accounts.js';
import { ReadWallet } from './usecases/read-wallet.js';
import { Reconciliation } from './usecases/reconcile-ledger.js';
import { ReportOverview } from './usecases/report-overview.js';
import { WalletHoldsRepository } from './wallet-holds.repository.js';
import { WalletController } from './wallet.controller.js';

@Module({
  controllers: [ReconciliationController, WalletController, LedgerReadsController],
  providers: [
    AccountsRepository,
    TransfersRepository,
    PendingTransfersRepository,
    WalletHoldsRepository,
    ReconciliationRepository,
    LedgerService,
    Reconciliation,
    ReadWallet,
    ReadLedgerAccounts,
    ReportOverview,
  ],
  exports: [LedgerService, Reconciliation],
})
export class LedgerModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly transfers: TransfersRepository,
    private readonly pending: PendingTransfersRepository,
    private readonly holds: WalletHoldsRepository,
    private readonly accounts: AccountsRepository,
  ) {}

  onModuleInit(): void {
    this.sandboxData.register('ledger', async (tx, sandboxId) => {
      await this.transfers.wipe(tx, sandboxId);
      await this.pending.wipe(tx, sandboxId);
      await this.holds.wipe(tx, sandboxId);
      await this.accounts.wipe(tx, sandboxId);
    });
  }
}
