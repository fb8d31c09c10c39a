import { Module, type OnModuleInit } from '@nestjs/common';
import { SandboxData } from '#core';
import { LedgerReadsController } from './ledger-reads.controller.js';
import { LedgerReads } from './ledger-reads.js';
import { LedgerService } from './ledger.service.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { Reconciliation } from './reconciliation.js';
import { WalletController } from './wallet.controller.js';

@Module({
  controllers: [ReconciliationController, WalletController, LedgerReadsController],
  providers: [LedgerService, Reconciliation, LedgerReads],
  exports: [LedgerService, Reconciliation],
})
export class LedgerModule implements OnModuleInit {
  constructor(private readonly sandboxData: SandboxData) {}

  onModuleInit(): void {
    // A reset keeps the system accounts (they hold no stored balance) and wipes the rest.
    this.sandboxData.register('ledger', async (tx, sandboxId) => {
      await tx.rows(`DELETE FROM ledger_entries WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM ledger_transfers WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM ledger_pending_transfers WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM ledger_wallet_holds WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM ledger_lifted_holds WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM ledger_accounts WHERE sandbox_id = $1 AND kind <> 'system'`, [sandboxId]);
    });
  }
}
