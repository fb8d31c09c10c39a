import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Page } from '#core';
import type { AccountPendingTransfer, AccountTransfer, AccountView } from '../account-views.js';
import { AccountsRepository } from '../accounts.repository.js';
import type { AccountKind, PendingStatus } from '../ledger.types.js';
import { PendingTransfersRepository } from '../pending-transfers.repository.js';
import { TransfersRepository } from '../transfers.repository.js';

/** The operator's reads of the ledger's accounts: any account, its transfers and its pending transfers. */
@Injectable()
export class ReadLedgerAccounts {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly transfers: TransfersRepository,
    private readonly pending: PendingTransfersRepository,
  ) {}

  list(sandboxId: string, query: { kind?: AccountKind; limit: number; startingAfter?: string }): Promise<Page<AccountView>> {
    return this.accounts.list(this.db, sandboxId, query);
  }

  async get(sandboxId: string, accountId: string): Promise<AccountView> {
    const account = await this.accounts.find(this.db, sandboxId, accountId);
    if (!account) throw DomainError.notFound('account', accountId);
    return account;
  }

  async transfersOf(
    sandboxId: string,
    accountId: string,
    query: { limit: number; startingAfter?: string },
  ): Promise<Page<AccountTransfer>> {
    await this.get(sandboxId, accountId);
    return this.transfers.ofAccount(this.db, sandboxId, accountId, query);
  }

  async pendingTransfersOf(
    sandboxId: string,
    accountId: string,
    query: { status?: PendingStatus; limit: number; startingAfter?: string },
  ): Promise<Page<AccountPendingTransfer>> {
    await this.get(sandboxId, accountId);
    return this.pending.ofAccount(this.db, sandboxId, accountId, query);
  }
}
