import { Injectable } from '@nestjs/common';
import { Database, type Page } from '#core';
import type { AccountView } from '../account-views.js';
import { AccountsRepository } from '../accounts.repository.js';
import type { AccountKind } from '../ledger.types.js';

/** The sandbox's ledger accounts (wallets, stores, system), newest first, with their balances. */
@Injectable()
export class ListLedgerAccounts {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
  ) {}

  execute(sandboxId: string, query: { kind?: AccountKind; limit: number; startingAfter?: string }): Promise<Page<AccountView>> {
    return this.accounts.list(this.db, sandboxId, query);
  }
}
