import { Injectable } from '@nestjs/common';
import type { Page, Queryable } from '#core';
import type { AccountPendingTransfer } from './account-views.js';
import { type PendingStatus, type ReserveRequest, type TransferCode, toYen } from './ledger.types.js';
import { transferParams } from './transfers.repository.js';

export type ReserveOutcome = 'reserved' | 'replayed' | 'key_reused' | 'account_not_found' | 'insufficient_balance' | 'wallet_on_hold';
export type PostOutcome = 'posted' | 'not_found' | 'not_pending' | 'amount_exceeds_pending' | 'wallet_on_hold';
export type ReleaseOutcome = 'released' | 'not_found' | 'not_pending' | 'not_due';

interface PendingRow {
  id: string;
  code: string;
  amount: string;
  debit_account_id: string;
  credit_account_id: string;
  status: PendingStatus;
  created_at: Date;
  expires_at: Date | null;
  resolved_at: Date | null;
  posted_amount: string | null;
  transfer_id: string | null;
}

/** Pending (two-phase) transfers: ledger_reserve holds the money, ledger_post_pending and ledger_release_pending settle it once. */
@Injectable()
export class PendingTransfersRepository {
  async reserve(q: Queryable, id: string, request: ReserveRequest): Promise<{ outcome: ReserveOutcome; pendingId: string | null }> {
    const [row] = await q.rows<{ o_outcome: ReserveOutcome; o_pending_id: string | null }>(
      `SELECT * FROM ledger_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [...transferParams(id, request), request.expiresAt],
    );
    return { outcome: row.o_outcome, pendingId: row.o_pending_id };
  }

  /** Posts a pending transfer as transfer `transferId`, for `amount` or (null) all of it. */
  async post(
    q: Queryable,
    sandboxId: string,
    pendingId: string,
    amount: number | null,
    transferId: string,
    at: Date,
  ): Promise<{ outcome: PostOutcome; transferId: string | null; pendingAmount: number; status: string | null }> {
    const [row] = await q.rows<{ o_outcome: PostOutcome; o_transfer_id: string | null; o_amount: string | null; o_status: string | null }>(
      `SELECT * FROM ledger_post_pending($1, $2, $3, $4, $5)`,
      [sandboxId, pendingId, amount, transferId, at],
    );
    return {
      outcome: row.o_outcome,
      transferId: row.o_transfer_id,
      pendingAmount: toYen(row.o_amount),
      status: row.o_status,
    };
  }

  /** Voids a pending transfer, or expires it if due; what it reserved goes back. */
  async release(
    q: Queryable,
    sandboxId: string,
    pendingId: string,
    status: 'voided' | 'expired',
    at: Date,
  ): Promise<{ outcome: ReleaseOutcome; status: string | null }> {
    const [row] = await q.rows<{ o_outcome: ReleaseOutcome; o_status: string | null }>(
      `SELECT * FROM ledger_release_pending($1, $2, $3, $4)`,
      [sandboxId, pendingId, status, at],
    );
    return { outcome: row.o_outcome, status: row.o_status };
  }

  /** Pending transfers past their expiry by their own sandbox's clock (`sandboxId` null: every sandbox), with that clock's now. */
  async due(q: Queryable, sandboxId: string | null, limit: number): Promise<Array<{ sandboxId: string; id: string; now: Date }>> {
    const rows = await q.rows<{ sandbox_id: string; id: string; now: Date }>(
      `SELECT p.sandbox_id, p.id, c.now FROM ledger_pending_transfers p
         JOIN sandbox_clocks c ON c.sandbox_id = p.sandbox_id
        WHERE p.status = 'pending' AND p.expires_at <= c.now AND ($1::text IS NULL OR p.sandbox_id = $1)
        LIMIT $2`,
      [sandboxId, limit],
    );
    return rows.map((r) => ({ sandboxId: r.sandbox_id, id: r.id, now: r.now }));
  }

  /** What a pending transfer reserved, from whom and why; it must exist. */
  async get(q: Queryable, sandboxId: string, id: string): Promise<{ debitAccountId: string; amount: number; code: string }> {
    const [row] = await q.rows<{ debit_account_id: string; amount: string; code: string }>(
      `SELECT debit_account_id, amount, code FROM ledger_pending_transfers WHERE sandbox_id = $1 AND id = $2`,
      [sandboxId, id],
    );
    if (!row) throw new Error(`ledger: no pending transfer ${id} in ${sandboxId}`);
    return { debitAccountId: row.debit_account_id, amount: toYen(row.amount), code: row.code };
  }

  async findStatus(q: Queryable, sandboxId: string, id: string): Promise<string | null> {
    const [row] = await q.rows<{ status: string }>(`SELECT status FROM ledger_pending_transfers WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      id,
    ]);
    return row?.status ?? null;
  }

  /** How many pending transfers of one purpose, made since a time, still reserve an account's money. */
  async countOpen(q: Queryable, sandboxId: string, accountId: string, code: TransferCode, since: Date): Promise<number> {
    const [row] = await q.rows<{ n: string }>(
      `SELECT count(*) AS n FROM ledger_pending_transfers
        WHERE sandbox_id = $1 AND debit_account_id = $2 AND code = $3 AND status = 'pending' AND created_at >= $4`,
      [sandboxId, accountId, code, since],
    );
    return Number(row.n);
  }

  /** An account's pending transfers on either side, newest first, optionally in one status. */
  async ofAccount(
    q: Queryable,
    sandboxId: string,
    accountId: string,
    query: { status?: PendingStatus; limit: number; startingAfter?: string },
  ): Promise<Page<AccountPendingTransfer>> {
    const rows = await q.rows<PendingRow>(
      `SELECT * FROM ledger_pending_transfers
        WHERE sandbox_id = $1 AND $2 IN (debit_account_id, credit_account_id)
          AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [sandboxId, accountId, query.status ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    return {
      data: rows.slice(0, query.limit).map((r) => ({
        id: r.id,
        code: r.code,
        amount: toYen(r.amount),
        debitAccountId: r.debit_account_id,
        creditAccountId: r.credit_account_id,
        status: r.status,
        createdAt: r.created_at.toISOString(),
        expiresAt: r.expires_at?.toISOString() ?? null,
        resolvedAt: r.resolved_at?.toISOString() ?? null,
        postedAmount: r.posted_amount === null ? null : toYen(r.posted_amount),
        transferId: r.transfer_id,
      })),
      has_more: rows.length > query.limit,
    };
  }

  /** A sandbox reset wipes every pending transfer. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM ledger_pending_transfers WHERE sandbox_id = $1`, [sandboxId]);
  }
}
