import { Injectable } from '@nestjs/common';
import type { Page, Queryable } from '#core';
import type { AccountTransfer } from './account-views.js';
import { type PayoutOutcome, type PayoutResult, type TransferCode, type TransferRequest, toYen } from './ledger.types.js';

export type TransferOutcome = 'posted' | 'replayed' | 'key_reused' | 'account_not_found' | 'insufficient_balance' | 'wallet_on_hold';

interface TransferRow {
  o_outcome: TransferOutcome;
  o_transfer_id: string | null;
  o_debit_balance: string | null;
  o_credit_balance: string | null;
}

/** The arguments ledger_transfer and ledger_reserve begin with, in their order. */
export const transferParams = (id: string, request: TransferRequest): unknown[] => [
  request.sandboxId,
  id,
  request.key,
  request.debit,
  request.credit,
  request.amount,
  request.code,
  JSON.stringify(request.metadata ?? {}),
  request.at,
];

const balanceOrNull = (value: string | null): number | null => (value === null ? null : toYen(value));

/** Transfers and their two entries; ledger_transfer and ledger_payout_batch write them. */
@Injectable()
export class TransfersRepository {
  /** Posts at once (ledger_transfer): the outcome says whether it posted, replayed its key, or why not. */
  async post(
    q: Queryable,
    id: string,
    request: TransferRequest,
  ): Promise<{ outcome: TransferOutcome; transferId: string | null; debitBalance: number | null; creditBalance: number | null }> {
    const [row] = await q.rows<TransferRow>(
      `SELECT * FROM ledger_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      transferParams(id, request),
    );
    return {
      outcome: row.o_outcome,
      transferId: row.o_transfer_id,
      debitBalance: balanceOrNull(row.o_debit_balance),
      creditBalance: balanceOrNull(row.o_credit_balance),
    };
  }

  /** Pays each wallet's available balance to one account in one round trip (ledger_payout_batch). */
  async payoutBatch(
    q: Queryable,
    sandboxId: string,
    payouts: Array<{ walletId: string; key: string; transferId: string }>,
    credit: string,
    code: TransferCode,
    at: Date,
  ): Promise<PayoutResult[]> {
    const rows = await q.rows<{ o_wallet: string; o_outcome: PayoutOutcome; o_transfer_id: string | null; o_amount: string }>(
      `SELECT * FROM ledger_payout_batch($1, $2, $3, $4, $5, $6, $7)`,
      [sandboxId, payouts.map((p) => p.walletId), payouts.map((p) => p.transferId), payouts.map((p) => p.key), credit, code, at],
    );
    return rows.map((r) => ({ walletId: r.o_wallet, outcome: r.o_outcome, transferId: r.o_transfer_id, amount: toYen(r.o_amount) }));
  }

  /** An account's transfers newest first, each signed for the account by its entry. */
  async ofAccount(
    q: Queryable,
    sandboxId: string,
    accountId: string,
    query: { limit: number; startingAfter?: string },
  ): Promise<Page<AccountTransfer>> {
    const rows = await q.rows<{
      id: string;
      code: string;
      amount: string;
      debit_account_id: string;
      credit_account_id: string;
      posted_at: Date;
      metadata: Record<string, unknown>;
    }>(
      `SELECT t.id, t.code, e.amount, t.debit_account_id, t.credit_account_id, t.posted_at, t.metadata
         FROM ledger_entries e JOIN ledger_transfers t ON t.sandbox_id = e.sandbox_id AND t.id = e.transfer_id
        WHERE e.sandbox_id = $1 AND e.account_id = $2 AND ($3::text IS NULL OR e.transfer_id < $3)
        ORDER BY e.transfer_id DESC LIMIT $4`,
      [sandboxId, accountId, query.startingAfter ?? null, query.limit + 1],
    );
    return {
      data: rows.slice(0, query.limit).map((r) => ({
        id: r.id,
        code: r.code,
        amount: toYen(r.amount),
        debitAccountId: r.debit_account_id,
        creditAccountId: r.credit_account_id,
        postedAt: r.posted_at.toISOString(),
        metadata: r.metadata,
      })),
      has_more: rows.length > query.limit,
    };
  }

  /** The sum of an account's entries. */
  async balanceOf(q: Queryable, sandboxId: string, accountId: string): Promise<number> {
    const [row] = await q.rows<{ balance: string | null }>(
      `SELECT sum(amount) AS balance FROM ledger_entries WHERE sandbox_id = $1 AND account_id = $2`,
      [sandboxId, accountId],
    );
    return toYen(row.balance);
  }

  /** Total moved by transfers of one purpose from or to one account, up to a time. */
  async totalByCode(
    q: Queryable,
    sandboxId: string,
    code: TransferCode,
    side: { debit?: string; credit?: string },
    upTo: Date,
  ): Promise<number> {
    const [row] = await q.rows<{ total: string | null }>(
      `SELECT sum(amount) AS total FROM ledger_transfers
        WHERE sandbox_id = $1 AND code = $2 AND ($3::text IS NULL OR debit_account_id = $3) AND ($4::text IS NULL OR credit_account_id = $4) AND posted_at <= $5`,
      [sandboxId, code, side.debit ?? null, side.credit ?? null, upTo],
    );
    return toYen(row.total);
  }

  /** Top-ups (by the account they came from), payments and refunds posted in a time range: count and yen of each. */
  async flowsBetween(
    q: Queryable,
    sandboxId: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ code: string; debitAccountId: string; count: number; amount: number }>> {
    const rows = await q.rows<{ code: string; debit_account_id: string; count: string; amount: string }>(
      `SELECT code, CASE WHEN code = 'topup' THEN debit_account_id ELSE '' END AS debit_account_id, count(*) AS count, sum(amount) AS amount
         FROM ledger_transfers
        WHERE sandbox_id = $1 AND code IN ('topup', 'payment', 'refund') AND posted_at >= $2 AND posted_at < $3
        GROUP BY 1, 2`,
      [sandboxId, from, to],
    );
    return rows.map((r) => ({ code: r.code, debitAccountId: r.debit_account_id, count: Number(r.count), amount: toYen(r.amount) }));
  }

  /** A sandbox reset wipes every transfer and entry. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM ledger_entries WHERE sandbox_id = $1`, [sandboxId]);
    await q.rows(`DELETE FROM ledger_transfers WHERE sandbox_id = $1`, [sandboxId]);
  }
}
