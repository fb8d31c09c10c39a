import { Injectable } from '@nestjs/common';
import { Database, DomainError, type UserPrincipal } from '#core';
import { AccountsRepository } from '../accounts.repository.js';
import { WalletHoldsRepository } from '../wallet-holds.repository.js';

export interface CustomerWallet {
  id: string;
  balance: number;
  available: number;
  status: 'active' | 'on_hold';
  holds: Array<{ id: string; reason: string; placedAt: string }>;
}

/** The signed-in customer's wallet, read from the ledger: its balance, and the holds that stop it. */
@Injectable()
export class GetWallet {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly holds: WalletHoldsRepository,
  ) {}

  async execute(me: UserPrincipal): Promise<CustomerWallet> {
    const balance = await this.accounts.findWalletBalance(this.db, me.sandbox.id, me.walletId);
    if (!balance) throw DomainError.notFound('wallet', me.walletId);
    const holds = await this.holds.ofWallet(this.db, me.sandbox.id, me.walletId);
    return {
      id: me.walletId,
      balance: balance.balance,
      available: balance.available,
      status: holds.length > 0 ? 'on_hold' : 'active',
      holds,
    };
  }
}
