import { Injectable } from '@nestjs/common';
import { type Page, type Queryable, type SealedColumn, sealedColumn } from '#core';
import { toYen } from '#ledger';
import type { BankSummary, ClaimStatus, PayoutMethod, RefundClaim } from './refund-claims.js';
import type { UnclaimedBalance } from './refund-report.js';

interface ClaimRow {
  id: string;
  wallet_id: string;
  user_id: string | null;
  method: PayoutMethod;
  bank_summary: BankSummary | null;
  contact_email: string | null;
  status: ClaimStatus;
  failure_code: string | null;
  amount: string;
  paid_amount: string;
  slip_number: string | null;
  filed_by: string;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
}

const toClaim = (row: ClaimRow): RefundClaim => ({
  id: row.id,
  walletId: row.wallet_id,
  userId: row.user_id,
  method: row.method,
  bankAccount: row.bank_summary,
  status: row.status,
  failureCode: row.failure_code,
  amount: Number(row.amount),
  paidAmount: Number(row.paid_amount),
  slipNumber: row.slip_number,
  filedBy: row.filed_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  paidAt: row.paid_at?.toISOString() ?? null,
});

/** A bank account as the claim stores it: sealed, and its summary. */
export interface StoredBankAccount {
  sealed: string;
  summary: BankSummary;
}

/** A claim a payout run is about to pay. */
export interface DueClaim {
  id: string;
  walletId: string;
  userId: string | null;
  method: PayoutMethod;
  /** The sealed bank account (bank transfers). */
  bankAccount: string | null;
  contactEmail: string | null;
  amount: number;
  /** Payouts made so far: a claim reopened by a store refund is paid again. */
  payouts: number;
}

/** How the campaign's balances split: those whose claim waits to be paid, and those nobody claims. */
export interface BalanceSplit {
  awaiting: number;
  awaitingAmount: number;
  unclaimed: number;
  unclaimedAmount: number;
}

/** Refund claims, one per wallet, and the ledger's wallet balances seen against them. */
@Injectable()
export class RefundClaimsRepository {
  /** The sealed bank accounts, for a key rotation. */
  sealedBankAccounts(q: Queryable): Omit<SealedColumn, 'purpose'> {
    return sealedColumn(q, 'lifecycle_refund_claims', 'bank_account');
  }

  /** A claim; with `walletId`, only if it is that wallet's. */
  async find(q: Queryable, sandboxId: string, id: string, walletId: string | null): Promise<RefundClaim | null> {
    const [row] = await q.rows<ClaimRow>(
      `SELECT * FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND id = $2 AND ($3::text IS NULL OR wallet_id = $3)`,
      [sandboxId, id, walletId],
    );
    return row ? toClaim(row) : null;
  }

  async lock(q: Queryable, sandboxId: string, id: string): Promise<RefundClaim | null> {
    const [row] = await q.rows<ClaimRow>(`SELECT * FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND id = $2 FOR UPDATE`, [
      sandboxId,
      id,
    ]);
    return row ? toClaim(row) : null;
  }

  /** Newest first; `walletId`: only that wallet's claims. */
  async list(
    q: Queryable,
    sandboxId: string,
    query: { status?: ClaimStatus; limit: number; starting_after?: string; walletId?: string },
  ): Promise<Page<RefundClaim>> {
    const rows = await q.rows<ClaimRow>(
      `SELECT * FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3)
          AND ($5::text IS NULL OR wallet_id = $5)
        ORDER BY id DESC LIMIT $4`,
      [sandboxId, query.status ?? null, query.starting_after ?? null, query.limit + 1, query.walletId ?? null],
    );
    return { data: rows.slice(0, query.limit).map(toClaim), has_more: rows.length > query.limit };
  }

  /** Files a submitted claim; null when the wallet already has one. */
  async insert(
    q: Queryable,
    claim: {
      sandboxId: string;
      id: string;
      walletId: string;
      userId: string | null;
      method: PayoutMethod;
      bankAccount: StoredBankAccount | null;
      contactEmail: string | null;
      amount: number;
      filedBy: string;
      at: Date;
    },
  ): Promise<RefundClaim | null> {
    const [row] = await q.rows<ClaimRow>(
      `INSERT INTO lifecycle_refund_claims (sandbox_id, id, wallet_id, user_id, method, bank_account, bank_summary, contact_email, status, amount,
                                            filed_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11, $11)
       ON CONFLICT (sandbox_id, wallet_id) DO NOTHING RETURNING *`,
      [
        claim.sandboxId,
        claim.id,
        claim.walletId,
        claim.userId,
        claim.method,
        claim.bankAccount?.sealed ?? null,
        claim.bankAccount ? JSON.stringify(claim.bankAccount.summary) : null,
        claim.contactEmail,
        claim.amount,
        claim.filedBy,
        claim.at,
      ],
    );
    return row ? toClaim(row) : null;
  }

  async findIdByWallet(q: Queryable, sandboxId: string, walletId: string): Promise<string | null> {
    const [row] = await q.rows<{ id: string }>(`SELECT id FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND wallet_id = $2`, [
      sandboxId,
      walletId,
    ]);
    return row?.id ?? null;
  }

  async setStatus(q: Queryable, sandboxId: string, id: string, status: ClaimStatus, at: Date): Promise<void> {
    await q.rows(`UPDATE lifecycle_refund_claims SET status = $3, updated_at = $4 WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      id,
      status,
      at,
    ]);
  }

  /** Replaces the bank account; a bounced claim goes back to submitted. */
  async setBankAccount(q: Queryable, sandboxId: string, id: string, account: StoredBankAccount, at: Date): Promise<void> {
    await q.rows(
      `UPDATE lifecycle_refund_claims SET bank_account = $3, bank_summary = $4, status = CASE WHEN status = 'bounced' THEN 'submitted' ELSE status END,
              failure_code = NULL, updated_at = $5 WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, id, account.sealed, JSON.stringify(account.summary), at],
    );
  }

  /** True when the wallet has a claim waiting to be paid. */
  async hasSubmitted(q: Queryable, sandboxId: string, walletId: string): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'submitted'`, [
      sandboxId,
      walletId,
    ]);
    return rows.length > 0;
  }

  /** Puts the wallet's paid claim back to submitted; false when it has none. */
  async reopenPaid(q: Queryable, sandboxId: string, walletId: string, at: Date): Promise<boolean> {
    const rows = await q.rows(
      `UPDATE lifecycle_refund_claims SET status = 'submitted', deferred_run = NULL, updated_at = $3
        WHERE sandbox_id = $1 AND wallet_id = $2 AND status = 'paid' RETURNING id`,
      [sandboxId, walletId, at],
    );
    return rows.length > 0;
  }

  /** Locks the next submitted claims a run has not set aside, in id order. */
  async lockDue(q: Queryable, sandboxId: string, runId: string, limit: number): Promise<DueClaim[]> {
    const rows = await q.rows<{
      id: string;
      wallet_id: string;
      user_id: string | null;
      method: PayoutMethod;
      bank_account: string | null;
      contact_email: string | null;
      amount: string;
      payouts: number;
    }>(
      `SELECT id, wallet_id, user_id, method, bank_account, contact_email, amount, payouts FROM lifecycle_refund_claims
        WHERE sandbox_id = $1 AND status = 'submitted' AND deferred_run IS DISTINCT FROM $2 ORDER BY id LIMIT $3 FOR UPDATE`,
      [sandboxId, runId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      walletId: row.wallet_id,
      userId: row.user_id,
      method: row.method,
      bankAccount: row.bank_account,
      contactEmail: row.contact_email,
      amount: Number(row.amount),
      payouts: row.payouts,
    }));
  }

  /** Claims a batch paid: the amount each was paid now, and a slip number for postal payouts. */
  async markPaid(
    q: Queryable,
    sandboxId: string,
    paid: Array<{ id: string; amount: number; slip: string | null }>,
    at: Date,
  ): Promise<void> {
    await q.rows(
      `UPDATE lifecycle_refund_claims c SET status = 'paid', paid_amount = c.paid_amount + u.amount, payouts = c.payouts + CASE WHEN u.amount > 0 THEN 1 ELSE 0 END,
              slip_number = COALESCE(c.slip_number, u.slip), failure_code = NULL, deferred_run = NULL, paid_at = $2, updated_at = $2
         FROM unnest($3::text[], $4::bigint[], $5::text[]) AS u(id, amount, slip)
        WHERE c.sandbox_id = $1 AND c.id = u.id`,
      [sandboxId, at, paid.map((c) => c.id), paid.map((c) => c.amount), paid.map((c) => c.slip)],
    );
  }

  /** The bank knew no such account. */
  async markBounced(q: Queryable, sandboxId: string, ids: string[], at: Date): Promise<void> {
    await q.rows(
      `UPDATE lifecycle_refund_claims SET status = 'bounced', failure_code = 'account_not_found', updated_at = $2 WHERE sandbox_id = $1 AND id = ANY ($3::text[])`,
      [sandboxId, at, ids],
    );
  }

  /** Sets claims aside for the rest of a run (their wallet is held). */
  async defer(q: Queryable, sandboxId: string, ids: string[], runId: string): Promise<void> {
    await q.rows(`UPDATE lifecycle_refund_claims SET deferred_run = $2 WHERE sandbox_id = $1 AND id = ANY ($3::text[])`, [
      sandboxId,
      runId,
      ids,
    ]);
  }

  /** Submitted claims a run has still to reach. */
  async countWaiting(q: Queryable, sandboxId: string, runId: string): Promise<number> {
    const [row] = await q.rows<{ n: string }>(
      `SELECT count(*) AS n FROM lifecycle_refund_claims WHERE sandbox_id = $1 AND status = 'submitted' AND deferred_run IS DISTINCT FROM $2`,
      [sandboxId, runId],
    );
    return Number(row.n);
  }

  async countByStatus(q: Queryable, sandboxId: string): Promise<Array<{ status: ClaimStatus; n: number }>> {
    const rows = await q.rows<{ status: ClaimStatus; n: string }>(
      `SELECT status, count(*) AS n FROM lifecycle_refund_claims WHERE sandbox_id = $1 GROUP BY status`,
      [sandboxId],
    );
    return rows.map((row) => ({ status: row.status, n: Number(row.n) }));
  }

  /** Claims paid out at least once, and the yen the claims record as paid. */
  async paidTotals(q: Queryable, sandboxId: string): Promise<{ count: number; amount: number }> {
    const [row] = await q.rows<{ n: string; total: string | null }>(
      `SELECT count(*) FILTER (WHERE paid_amount > 0) AS n, sum(paid_amount) AS total FROM lifecycle_refund_claims WHERE sandbox_id = $1`,
      [sandboxId],
    );
    return { count: Number(row.n), amount: toYen(row.total) };
  }

  /** The ledger's positive wallet balances, split by whether a claim of the wallet waits to be paid. */
  async balanceSplit(q: Queryable, sandboxId: string): Promise<BalanceSplit> {
    const [row] = await q.rows<{ awaiting: string; awaiting_amount: string | null; unclaimed: string; unclaimed_amount: string | null }>(
      `SELECT count(*) FILTER (WHERE c.id IS NOT NULL) AS awaiting, sum(b.balance) FILTER (WHERE c.id IS NOT NULL) AS awaiting_amount,
              count(*) FILTER (WHERE c.id IS NULL) AS unclaimed, sum(b.balance) FILTER (WHERE c.id IS NULL) AS unclaimed_amount
         FROM ledger_wallet_balances b
         LEFT JOIN lifecycle_refund_claims c ON c.sandbox_id = b.sandbox_id AND c.wallet_id = b.wallet_id AND c.status <> 'paid'
        WHERE b.sandbox_id = $1 AND b.balance > 0`,
      [sandboxId],
    );
    return {
      awaiting: Number(row.awaiting),
      awaitingAmount: toYen(row.awaiting_amount),
      unclaimed: Number(row.unclaimed),
      unclaimedAmount: toYen(row.unclaimed_amount),
    };
  }

  /** Positive balances with no claim waiting to be paid, by wallet id. */
  async unclaimedBalances(
    q: Queryable,
    sandboxId: string,
    query: { limit: number; starting_after?: string },
  ): Promise<Page<UnclaimedBalance>> {
    const rows = await q.rows<{ wallet_id: string; balance: string }>(
      `SELECT b.wallet_id, b.balance FROM ledger_wallet_balances b
        WHERE b.sandbox_id = $1 AND b.balance > 0 AND ($2::text IS NULL OR b.wallet_id > $2)
          AND NOT EXISTS (SELECT 1 FROM lifecycle_refund_claims c WHERE c.sandbox_id = b.sandbox_id AND c.wallet_id = b.wallet_id AND c.status <> 'paid')
        ORDER BY b.wallet_id LIMIT $3`,
      [sandboxId, query.starting_after ?? null, query.limit + 1],
    );
    return {
      data: rows.slice(0, query.limit).map((r) => ({ walletId: r.wallet_id, balance: toYen(r.balance) })),
      has_more: rows.length > query.limit,
    };
  }

  /** Deletes the sandbox's claims (sandbox reset). */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM lifecycle_refund_claims WHERE sandbox_id = $1`, [sandboxId]);
  }
}
