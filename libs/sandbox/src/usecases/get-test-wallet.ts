import { Injectable } from '@nestjs/common';
import { Database, DomainError, type SandboxContext } from '#core';
import { LedgerService, type WalletBalance } from '#ledger';

export interface WalletView extends WalletBalance {
  id: string;
}

/** A wallet's balance and available balance, for ledger and load tests. */
@Injectable()
export class GetTestWallet {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerService,
  ) {}

  async execute(sandbox: SandboxContext, walletId: string): Promise<WalletView> {
    const balance = await this.ledger.walletBalance(this.db, sandbox.id, walletId);
    if (!balance) throw DomainError.notFound('wallet', walletId);
    return { id: walletId, ...balance };
  }
}
