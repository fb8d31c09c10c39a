import { Injectable } from '@nestjs/common';
import { Database, type UserPrincipal, newId } from '#core';
import { TEST_BANK_ACCOUNTS } from '../card-network.js';
import { type BankAccount, FundingSourcesRepository } from '../funding-sources.repository.js';

/** The customer's bank accounts for bank-debit top-ups: only the last four digits of the number are kept. */
@Injectable()
export class ManageBankAccounts {
  constructor(
    private readonly db: Database,
    private readonly sources: FundingSourcesRepository,
  ) {}

  async add(
    me: UserPrincipal,
    input: { bankCode: string; branchCode: string; accountNumber: string; holder: string },
  ): Promise<BankAccount> {
    const id = newId('bnk');
    const now = me.sandbox.time.now();
    const last4 = input.accountNumber.slice(-4);
    await this.sources.insertBankAccount(this.db, {
      sandboxId: me.sandbox.id,
      id,
      userId: me.userId,
      bankCode: input.bankCode,
      branchCode: input.branchCode,
      last4,
      holder: input.holder,
      behavior: TEST_BANK_ACCOUNTS[input.accountNumber] ?? 'succeed',
      at: now,
    });
    return { id, bankCode: input.bankCode, branchCode: input.branchCode, last4, holder: input.holder, createdAt: now.toISOString() };
  }

  list(me: UserPrincipal): Promise<BankAccount[]> {
    return this.sources.listBankAccounts(this.db, me.sandbox.id, me.userId);
  }
}
