import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, RequestContext, type SandboxContext, Topic, newId } from '#core';
import { LedgerService, SystemAccount, type WalletBalance } from '#ledger';

export interface WalletView extends WalletBalance {
  id: string;
}

/**
 * Test helpers on wallets: a bare wallet (no user) for ledger and load
 * tests, and funding from the sandbox's funding account — a ledger transfer
 * like any other, so reconciliation stays exact.
 */
@Injectable()
export class TestWallets {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async create(sandbox: SandboxContext): Promise<WalletView> {
    const walletId = newId('wal');
    await this.db.transaction(async (tx) => {
      const now = sandbox.time.now();
      await this.ledger.openAccount(tx, sandbox.id, walletId, 'wallet', now);
      await this.outbox.publish(tx, { sandboxId: sandbox.id, type: Topic.WalletCreated, data: { walletId }, occurredAt: now });
    });
    return { id: walletId, balance: 0, available: 0 };
  }

  async get(sandbox: SandboxContext, walletId: string): Promise<WalletView> {
    const balance = await this.ledger.walletBalance(this.db, sandbox.id, walletId);
    if (!balance) throw DomainError.notFound('wallet', walletId);
    return { id: walletId, ...balance };
  }

  async fund(
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
          type: Topic.WalletFunded,
          data: { walletId, amount, transferId: transfer.id, balance },
          occurredAt: now,
        });
      }
      return { walletId, amount, transferId: transfer.id, balance };
    });
  }
}
