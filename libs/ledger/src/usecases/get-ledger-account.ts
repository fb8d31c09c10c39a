import { Injectable } from '@nestjs/common';
import { Database, DomainError } from '#core';
import type { AccountView } from '../account-views.js';
import { AccountsRepository } from '../accounts.repository.js';

/** One ledger account as the operator reads it: balance, available, reserved, holds. */
@Injectable()
export class GetLedgerAccount {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsRepository,
  ) {}

  async execute(sandboxId: string, accountId: string): Promise<AccountView> {
    const account = await this.accounts.find(this.db, sandboxId, accountId);
    if (!account) throw DomainError.notFound('account', accountId);
    return account;
  }
}
