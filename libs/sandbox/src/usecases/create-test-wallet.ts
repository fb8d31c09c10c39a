import { Injectable } from '@nestjs/common';
import { Database, Outbox, type SandboxContext, newId } from '#core';
import { LedgerService } from '#ledger';
import type { WalletView } from './get-test-wallet.js';

/** A bare wallet (no user), for ledger and load tests. */
@Injectable()
export class CreateTestWallet {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
    private readonly outbox: Outbox,
  ) {}

  async execute(sandbox: SandboxContext): Promise<WalletView> {
    const walletId = newId('wal');
    await this.db.transaction(async (tx) => {
      const now = sandbox.time.now();
      await this.ledger.openAccount(tx, sandbox.id, walletId, 'wallet', now);
      await this.outbox.publish(tx, { sandboxId: sandbox.id, type: 'wallet.created', data: { walletId }, occurredAt: now });
    });
    return { id: walletId, balance: 0, available: 0 };
  }
}
