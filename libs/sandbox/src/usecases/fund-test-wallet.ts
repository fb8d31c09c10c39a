import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, RequestContext, type SandboxContext } from '#core';
import { LedgerService, SystemAccount } from '#ledger';

/**
 * Funds a test wallet from the sandbox's funding account: a ledger transfer
 * like any other, so reconciliation stays exact.
 */
@Injectable()
export class FundTestWallet {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async execute(
    sandbox: SandboxContext,
    walletId: string,
    amount: number,
  ): Promise<{ walletId: string; amount: number; transferId: string; balance: number }> {
    return this.db.transaction(async (tx) => {
      if (!(await this.ledger.accountExists(tx, sandbox.id, walletId, 'wallet'))) throw DomainError.notFound('wallet', walletId);
      const now = sandbox.time.now();
      const transfer = await this.ledger.transfer(tx, {
        sandboxId: sandbox.id,
        key: RequestContext.effectKey('sandbox_funding'),
        debit: SystemAccount.SandboxFunding,
        credit: walletId,
        amount,
        code: 'sandbox_funding',
        at: now,
      });
      const balance = transfer.creditBalance ?? 0;
      if (!transfer.replayed) {
        await this.outbox.publish(tx, {
          sandboxId: sandbox.id,
          type: 'wallet.funded',
          data: { walletId, amount, transferId: transfer.id, balance },
          occurredAt: now,
        });
      }
      return { walletId, amount, transferId: transfer.id, balance };
    });
  }
}
