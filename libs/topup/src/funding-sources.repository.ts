import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import type { FundingBehavior } from './card-network.js';

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
export class FundingSourcesRepository {
  async insertCard(
    q: Queryable,
    card: {
      sandboxId: string;
      id: string;
      userId: string;
      walletId: string;
      brand: string;
      last4: string;
      expMonth: number;
      expYear: number;
      networkToken: string;
      at: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO topup_cards (sandbox_id, id, user_id, wallet_id, brand, last4, exp_month, exp_year, network_token, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        card.sandboxId,
        card.id,
        card.userId,
        card.walletId,
        card.brand,
        card.last4,
        card.expMonth,
        card.expYear,
        card.networkToken,
        card.at,
      ],
    );
  }

  /** The customer's cards still on file, newest first. */
  async listCards(q: Queryable, sandboxId: string, userId: string): Promise<Card[]> {
    const rows = await q.rows<{ id: string; brand: string; last4: string; exp_month: number; exp_year: number; created_at: Date }>(
      `SELECT id, brand, last4, exp_month, exp_year, created_at FROM topup_cards WHERE sandbox_id = $1 AND user_id = $2 AND removed_at IS NULL ORDER BY id DESC`,
      [sandboxId, userId],
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

  /** Removes the customer's card; false when they have no such card on file. */
  async removeCard(q: Queryable, sandboxId: string, userId: string, cardId: string, at: Date): Promise<boolean> {
    const rows = await q.rows(
      `UPDATE topup_cards SET removed_at = $4 WHERE sandbox_id = $1 AND id = $2 AND user_id = $3 AND removed_at IS NULL RETURNING id`,
      [sandboxId, cardId, userId, at],
    );
    return rows.length > 0;
  }

  /** Whether the customer has this card on file. */
  async hasCard(q: Queryable, sandboxId: string, userId: string, cardId: string): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM topup_cards WHERE sandbox_id = $1 AND id = $2 AND user_id = $3 AND removed_at IS NULL`, [
      sandboxId,
      cardId,
      userId,
    ]);
    return rows.length > 0;
  }

  /** The card's token at the card network, or null when there is no such card. */
  async findNetworkToken(q: Queryable, sandboxId: string, cardId: string): Promise<string | null> {
    const [card] = await q.rows<{ network_token: string }>(`SELECT network_token FROM topup_cards WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      cardId,
    ]);
    return card?.network_token ?? null;
  }

  async insertBankAccount(
    q: Queryable,
    account: {
      sandboxId: string;
      id: string;
      userId: string;
      bankCode: string;
      branchCode: string;
      last4: string;
      holder: string;
      behavior: FundingBehavior;
      at: Date;
    },
  ): Promise<void> {
    await q.rows(
      `INSERT INTO topup_bank_accounts (sandbox_id, id, user_id, bank_code, branch_code, last4, holder, behavior, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        account.sandboxId,
        account.id,
        account.userId,
        account.bankCode,
        account.branchCode,
        account.last4,
        account.holder,
        account.behavior,
        account.at,
      ],
    );
  }

  /** The customer's bank accounts, newest first. */
  async listBankAccounts(q: Queryable, sandboxId: string, userId: string): Promise<BankAccount[]> {
    const rows = await q.rows<{
      id: string;
      bank_code: string;
      branch_code: string;
      last4: string;
      holder: string;
      created_at: Date;
    }>(
      `SELECT id, bank_code, branch_code, last4, holder, created_at FROM topup_bank_accounts WHERE sandbox_id = $1 AND user_id = $2 ORDER BY id DESC`,
      [sandboxId, userId],
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

  /** Whether the customer registered this bank account. */
  async hasBankAccount(q: Queryable, sandboxId: string, userId: string, bankAccountId: string): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM topup_bank_accounts WHERE sandbox_id = $1 AND id = $2 AND user_id = $3`, [
      sandboxId,
      bankAccountId,
      userId,
    ]);
    return rows.length > 0;
  }

  /** How the simulated bank treats a debit from this account, or null when there is no such account. */
  async findBankAccountBehavior(q: Queryable, sandboxId: string, bankAccountId: string): Promise<FundingBehavior | null> {
    const [account] = await q.rows<{ behavior: FundingBehavior }>(
      `SELECT behavior FROM topup_bank_accounts WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, bankAccountId],
    );
    return account?.behavior ?? null;
  }

  /** A sandbox reset wipes its bank accounts and cards. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM topup_bank_accounts WHERE sandbox_id = $1`, [sandboxId]);
    await q.rows(`DELETE FROM topup_cards WHERE sandbox_id = $1`, [sandboxId]);
  }
}
