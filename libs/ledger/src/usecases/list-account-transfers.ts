import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import type { AccountTransfer } from '../account-views.js';
import { TransfersRepository } from '../transfers.repository.js';
import { GetLedgerAccount } from './get-ledger-account.js';

/** An account's transfers, newest first, signed for the account. */
@Injectable()
export class ListAccountTransfers {
  constructor(
    private readonly db: Database,
    private readonly account: GetLedgerAccount,
    private readonly transfers: TransfersRepository,
  ) {}

  async execute(sandboxId: string, accountId: string, query: { limit: number; startingAfter?: string }): Promise<Page<AccountTransfer>> {
    await this.account.execute(sandboxId, accountId);
    return this.transfers.ofAccount(this.db, sandboxId, accountId, query);
  }
}
