import { Injectable } from '@nestjs/common';
import { Database, DomainError, type UserPrincipal } from '#core';
import { AccountsRepository } from '../accounts.repository.js';
import type { WalletHoldView } from '../ledger.types.js';

export interface CustomerWallet {
  id: string;
  balance: number;
  available: number;
  status: 'active' | 'on_hold';
  holds: WalletHoldView[];
}

/** The signed-in customer's wallet, read from the ledger: its balance, and the holds that stop it. */
@Injectable()
export class GetWallet {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
  ) {}

  async execute(me: UserPrincipal): Promise<CustomerWallet> {
    const wallet = await this.accounts.findWalletWithHolds(this.db, me.sandbox.id, me.walletId);
    if (!wallet) throw DomainError.notFound('wallet', me.walletId);
    const { balance, available, holds } = wallet;
    return { id: me.walletId, balance, available, status: holds.length > 0 ? 'on_hold' : 'active', holds };
  }
}
