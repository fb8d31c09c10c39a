import { Injectable } from '@nestjs/common';
import { Database, type Page, type UserPrincipal } from '#core';
import { TransfersRepository } from '../transfers.repository.js';

export interface WalletTransaction {
  id: string;
  type: string;
  amount: number;
  createdAt: string;
  reference: Record<string, unknown>;
}

/** Money in and out of the signed-in customer's wallet, newest first; the amount is negative when money left. */
@Injectable()
export class ListWalletTransactions {
  constructor(
    private readonly db: Database,
    private readonly transfers: TransfersRepository,
  ) {}

  async execute(me: UserPrincipal, query: { limit: number; startingAfter?: string }): Promise<Page<WalletTransaction>> {
    const page = await this.transfers.ofAccount(this.db, me.sandbox.id, me.walletId, query);
    return {
      data: page.data.map((t) => ({ id: t.id, type: t.code, amount: t.amount, createdAt: t.postedAt, reference: t.metadata })),
      has_more: page.has_more,
    };
  }
}
