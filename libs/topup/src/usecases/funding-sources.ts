import { Injectable } from '@nestjs/common';
import { Database, DomainError, Outbox, Topic, type UserPrincipal, newId } from '#core';
import { CardNetwork, TEST_BANK_ACCOUNTS, luhnValid } from '../card-network.js';

export interface Card {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  createdAt: string;
}

export interface BankAccount {
  id: string;
  bankCode: string;
  branchCode: string;
  last4: string;
  holder: string;
  createdAt: string;
}

/** Cards and bank accounts a customer tops up from. Only brand, last4 and a token are kept, never the number or cvc. */
@Injectable()
export class FundingSources {
  constructor(
    private readonly db: Database,
    private readonly network: CardNetwork,
    private readonly outbox: Outbox,
  ) {}

  async addCard(me: UserPrincipal, input: { number: string; expMonth: number; expYear: number }): Promise<Card> {
    if (!luhnValid(input.number)) throw DomainError.invalid([{ field: 'number', message: 'is not a valid card number' }]);
    const now = me.sandbox.time.now();
    const expiry = new Date(Date.UTC(input.expYear, input.expMonth, 1));
    if (expiry <= now) throw DomainError.invalid([{ field: 'expYear', message: 'the card has expired' }]);
    const id = newId('crd');
    return this.db.transaction(async (tx) => {
      const token = await this.network.tokenize(tx, me.sandbox.id, input.number, now);
      await tx.rows(
        `INSERT INTO topup_cards (sandbox_id, id, user_id, wallet_id, brand, last4, exp_month, exp_year, network_token, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [me.sandbox.id, id, me.userId, me.walletId, token.brand, token.last4, input.expMonth, input.expYear, token.token, now],
      );
      await this.outbox.emit(tx, me.sandbox, Topic.CardAdded, {
        cardId: id,
        userId: me.userId,
        walletId: me.walletId,
        brand: token.brand,
        last4: token.last4,
      });
      return { id, brand: token.brand, last4: token.last4, expMonth: input.expMonth, expYear: input.expYear, createdAt: now.toISOString() };
    });
  }

  async listCards(me: UserPrincipal): Promise<Card[]> {
    const rows = await this.db.rows<{ id: string; brand: string; last4: string; exp_month: number; exp_year: number; created_at: Date }>(
      `SELECT id, brand, last4, exp_month, exp_year, created_at FROM topup_cards WHERE sandbox_id = $1 AND user_id = $2 AND removed_at IS NULL ORDER BY id DESC`,
      [me.sandbox.id, me.userId],
    );
    return rows.map((r) => ({
      id: r.id,
      brand: r.brand,
      last4: r.last4,
      expMonth: r.exp_month,
      expYear: r.exp_year,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async removeCard(me: UserPrincipal, cardId: string): Promise<void> {
    const rows = await this.db.rows(
      `UPDATE topup_cards SET removed_at = $4 WHERE sandbox_id = $1 AND id = $2 AND user_id = $3 AND removed_at IS NULL RETURNING id`,
      [me.sandbox.id, cardId, me.userId, me.sandbox.time.now()],
    );
    if (rows.length === 0) throw DomainError.notFound('card', cardId);
  }

  async listBankAccounts(me: UserPrincipal): Promise<BankAccount[]> {
    const rows = await this.db.rows<{
      id: string;
      bank_code: string;
      branch_code: string;
      last4: string;
      holder: string;
      created_at: Date;
    }>(
      `SELECT id, bank_code, branch_code, last4, holder, created_at FROM topup_bank_accounts WHERE sandbox_id = $1 AND user_id = $2 ORDER BY id DESC`,
      [me.sandbox.id, me.userId],
    );
    return rows.map((r) => ({
      id: r.id,
      bankCode: r.bank_code,
      branchCode: r.branch_code,
      last4: r.last4,
      holder: r.holder,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async addBankAccount(
    me: UserPrincipal,
    input: { bankCode: string; branchCode: string; accountNumber: string; holder: string },
  ): Promise<BankAccount> {
    const id = newId('bnk');
    const now = me.sandbox.time.now();
    const last4 = input.accountNumber.slice(-4);
    await this.db.rows(
      `INSERT INTO topup_bank_accounts (sandbox_id, id, user_id, bank_code, branch_code, last4, holder, behavior, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        me.sandbox.id,
        id,
        me.userId,
        input.bankCode,
        input.branchCode,
        last4,
        input.holder,
        TEST_BANK_ACCOUNTS[input.accountNumber] ?? 'succeed',
        now,
      ],
    );
    return { id, bankCode: input.bankCode, branchCode: input.branchCode, last4, holder: input.holder, createdAt: now.toISOString() };
  }
}
