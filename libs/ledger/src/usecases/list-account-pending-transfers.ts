import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import type { AccountPendingTransfer } from '../account-views.js';
import type { PendingStatus } from '../ledger.types.js';
import { PendingTransfersRepository } from '../pending-transfers.repository.js';
import { GetLedgerAccount } from './get-ledger-account.js';

/** An account's pending (two-phase) transfers, either side, newest first. */
@Injectable()
export class ListAccountPendingTransfers {
  constructor(
    private readonly db: Database,
    private readonly account: GetLedgerAccount,
    private readonly pending: PendingTransfersRepository,
  ) {}

  async execute(
    sandboxId: string,
    accountId: string,
    query: { status?: PendingStatus; limit: number; startingAfter?: string },
  ): Promise<Page<AccountPendingTransfer>> {
    await this.account.execute(sandboxId, accountId);
    return this.pending.ofAccount(this.db, sandboxId, accountId, query);
  }
}
