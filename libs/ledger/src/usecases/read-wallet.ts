import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Page, type UserPrincipal } from '#core';
import { AccountsRepository } from '../accounts.repository.js';
import { TransfersRepository } from '../transfers.repository.js';
import { WalletHoldsRepository } from '../wallet-holds.repository.js';

export interface CustomerWallet {
  id: string;
  balance: number;
  available: number;
  status: 'active' | 'on_hold';
  holds: Array<{ id: string; reason: string; placedAt: string }>;
}

export interface WalletTransaction {
  id: string;
  type: string;
  amount: number;
  createdAt: string;
  reference: Record<string, unknown>;
}

/** The signed-in customer's wallet, read from the ledger: its balance and holds, and the money in and out. */
@Injectable()
export class ReadWallet {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly holds: WalletHoldsRepository,
    private readonly transfers: TransfersRepository,
  ) {}

  async wallet(me: UserPrincipal): Promise<CustomerWallet> {
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

  /** Newest first; the amount is negative when money left the wallet. */
  async transactions(me: UserPrincipal, query: { limit: number; startingAfter?: string }): Promise<Page<WalletTransaction>> {
    const page = await this.transfers.ofAccount(this.db, me.sandbox.id, me.walletId, query);
    return {
      data: page.data.map((t) => ({ id: t.id, type: t.code, amount: t.amount, createdAt: t.postedAt, reference: t.metadata })),
      has_more: page.has_more,
    };
  }
}
