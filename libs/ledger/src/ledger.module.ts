import { Module, type OnModuleInit } from '@nestjs/common';
import { JobsModule, SandboxData } from '#core';
import { AccountsRepository } from './accounts.repository.js';
import { LedgerReadsController } from './ledger-reads.controller.js';
import { LedgerService } from './ledger.service.js';
import { PendingTransfersRepository } from './pending-transfers.repository.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { TransfersRepository } from './transfers.repository.js';
import { GetLedgerAccount } from './usecases/get-ledger-account.js';
import { GetOverview } from './usecases/get-overview.js';
import { GetWallet } from './usecases/get-wallet.js';
import { ListAccountPendingTransfers } from './usecases/list-account-pending-transfers.js';
import { ListAccountTransfers } from './usecases/list-account-transfers.js';
import { ListLedgerAccounts } from './usecases/list-ledger-accounts.js';
import { ListWalletTransactions } from './usecases/list-wallet-transactions.js';
import { Reconciliation } from './usecases/reconcile-ledger.js';
import { WalletHoldsRepository } from './wallet-holds.repository.js';
import { WalletController } from './wallet.controller.js';
import { LEDGER_JOBS } from './ledger.jobs.js';

@Module({
  imports: [JobsModule.forFeature(LEDGER_JOBS)],
  controllers: [ReconciliationController, WalletController, LedgerReadsController],
  providers: [
    AccountsRepository,
    TransfersRepository,
    PendingTransfersRepository,
    WalletHoldsRepository,
    ReconciliationRepository,
    LedgerService,
    Reconciliation,
    GetWallet,
    ListWalletTransactions,
    ListLedgerAccounts,
    GetLedgerAccount,
    ListAccountTransfers,
    ListAccountPendingTransfers,
    GetOverview,
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
