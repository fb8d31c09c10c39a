import { Injectable, Logger } from '@nestjs/common';
import { Database, DomainError, Outbox, type Queryable, Topic, newId } from '#core';
import {
  type AccountKind,
  type PayoutOutcome,
  type PayoutResult,
  type PendingTransfer,
  type ReserveRequest,
  SystemAccount,
  type Transfer,
  type TransferCode,
  type TransferRequest,
  type WalletBalance,
  toYen,
} from './ledger.types.js';

interface TransferRow {
  o_outcome: 'posted' | 'replayed' | 'key_reused' | 'account_not_found' | 'insufficient_balance' | 'wallet_on_hold';
  o_transfer_id: string | null;
  o_debit_balance: string | null;
  o_credit_balance: string | null;
}

interface PostRow {
  o_outcome: 'posted' | 'not_found' | 'not_pending' | 'amount_exceeds_pending' | 'wallet_on_hold';
  o_transfer_id: string | null;
  o_amount: string | null;
  o_status: string | null;
}

interface ReleaseRow {
  o_outcome: 'released' | 'not_found' | 'not_pending' | 'not_due';
  o_status: string | null;
}

const onHold = (walletId: string): DomainError =>
  new DomainError('wallet_on_hold', `Wallet ${walletId} is on hold pending a fraud review`, { walletId });

const notPending = (pendingId: string, status: string | null): DomainError =>
  new DomainError('pending_transfer_not_pending', `Pending transfer ${pendingId} is ${status}`, { transferStatus: status });

const balanceOrNull = (value: string | null): number | null => (value === null ? null : toYen(value));

/**
 * The ledger's public face: open accounts, post transfers, reserve and
 * settle pending transfers. Every method takes the caller's transaction (or
 * the pool) so a posting commits with the state change that caused it.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger(LedgerService.name);

  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
  ) {}

  async openAccount(q: Queryable, sandboxId: string, accountId: string, kind: AccountKind, at: Date): Promise<void> {
    await q.rows(
      `INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sandbox_id, id) DO NOTHING`,
      [sandboxId, accountId, kind, at],
    );
  }

  async openSystemAccounts(q: Queryable, sandboxId: string, at: Date): Promise<void> {
    const ids = Object.values(SystemAccount);
    await q.rows(
      `INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at)
       SELECT $1, unnest($2::text[]), 'system', $3
       ON CONFLICT (sandbox_id, id) DO NOTHING`,
      [sandboxId, ids, at],
    );
  }

  async accountExists(q: Queryable, sandboxId: string, accountId: string, kind: AccountKind): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND kind = $3`, [
      sandboxId,
      accountId,
      kind,
    ]);
    return rows.length === 1;
  }

  /** Moves money at once. Refuses (insufficient_balance) if a wallet would go negative. */
  async transfer(q: Queryable, request: TransferRequest): Promise<Transfer> {
    const [row] = await q.rows<TransferRow>(`SELECT * FROM ledger_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      request.sandboxId,
      newId('trf'),
      request.key,
      request.debit,
      request.credit,
      request.amount,
      request.code,
      JSON.stringify(request.metadata ?? {}),
      request.at,
    ]);
    switch (row.o_outcome) {
      case 'posted':
      case 'replayed':
        return {
          id: row.o_transfer_id as string,
          replayed: row.o_outcome === 'replayed',
          debitBalance: balanceOrNull(row.o_debit_balance),
          creditBalance: balanceOrNull(row.o_credit_balance),
        };
      case 'insufficient_balance':
        throw new DomainError('insufficient_balance', `The balance of ${request.debit} does not cover ¥${request.amount}`);
      case 'wallet_on_hold':
        throw onHold(request.debit);
      case 'account_not_found':
        throw new DomainError('not_found', `No account ${request.debit} or ${request.credit} in this sandbox`);
      case 'key_reused':
        throw new Error(`ledger: transfer key '${request.key}' already posted with other accounts or amount`);
    }
  }

  /** Holds funds on the debit side (two-phase transfer); post, void or expiry settles it exactly once. */
  async reserve(q: Queryable, request: ReserveRequest): Promise<PendingTransfer> {
    const [row] = await q.rows<{ o_outcome: string; o_pending_id: string | null }>(
      `SELECT * FROM ledger_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        request.sandboxId,
        newId('pnd'),
        request.key,
        request.debit,
        request.credit,
        request.amount,
        request.code,
        JSON.stringify(request.metadata ?? {}),
        request.at,
        request.expiresAt,
      ],
    );
    switch (row.o_outcome) {
      case 'reserved':
      case 'replayed':
        return { id: row.o_pending_id as string, replayed: row.o_outcome === 'replayed' };
      case 'insufficient_balance':
        throw new DomainError('insufficient_balance', `The balance of ${request.debit} does not cover ¥${request.amount}`);
      case 'wallet_on_hold':
        throw onHold(request.debit);
      case 'account_not_found':
        throw new DomainError('not_found', `No account ${request.debit} or ${request.credit} in this sandbox`);
      default:
        throw new Error(`ledger: pending transfer key '${request.key}' already used with other accounts or amount`);
    }
  }

  /** Posts a pending transfer for its amount or less; the rest of the hold is released. A held wallet's payment is refused. */
  async postPending(q: Queryable, sandboxId: string, pendingId: string, amount: number | null, at: Date): Promise<Transfer> {
    const [row] = await q.rows<PostRow>(`SELECT * FROM ledger_post_pending($1, $2, $3, $4, $5)`, [
      sandboxId,
      pendingId,
      amount,
      newId('trf'),
      at,
    ]);
    switch (row.o_outcome) {
      case 'posted':
        return { id: row.o_transfer_id as string, replayed: false, debitBalance: null, creditBalance: null };
      case 'not_found':
        throw DomainError.notFound('pending transfer', pendingId);
      case 'amount_exceeds_pending':
        throw new DomainError('amount_exceeds_pending', `At most ¥${toYen(row.o_amount)} can be posted`, {
          pendingAmount: toYen(row.o_amount),
        });
      case 'not_pending':
        throw notPending(pendingId, row.o_status);
      case 'wallet_on_hold':
        throw new DomainError('wallet_on_hold', `The wallet of pending transfer ${pendingId} is on hold pending a fraud review`);
    }
  }

  /** Voids a pending transfer, releasing its hold. */
  async voidPending(q: Queryable, sandboxId: string, pendingId: string, at: Date): Promise<void> {
    const [row] = await q.rows<ReleaseRow>(`SELECT * FROM ledger_release_pending($1, $2, 'voided', $3)`, [sandboxId, pendingId, at]);
    if (row.o_outcome === 'released') return;
    if (row.o_outcome === 'not_found') throw DomainError.notFound('pending transfer', pendingId);
    throw notPending(pendingId, row.o_status);
  }

  /**
   * Expires overdue pending transfers by each sandbox's own clock, one
   * transaction and one event each. Safe to run concurrently and repeatedly:
   * a transfer expires once, and only its first expiry emits the event.
   */
  async expireDue(sandboxId: string | null, batch = 500): Promise<number> {
    const due = await this.db.rows<{ sandbox_id: string; id: string; now: Date }>(
      `SELECT p.sandbox_id, p.id, c.now FROM ledger_pending_transfers p
         JOIN sandbox_clocks c ON c.sandbox_id = p.sandbox_id
        WHERE p.status = 'pending' AND p.expires_at <= c.now AND ($1::text IS NULL OR p.sandbox_id = $1)
        LIMIT $2`,
      [sandboxId, batch],
    );
    let expired = 0;
    for (const { sandbox_id, id, now } of due) {
      expired += await this.db.transaction(async (tx) => {
        const [row] = await tx.rows<ReleaseRow>(`SELECT * FROM ledger_release_pending($1, $2, 'expired', $3)`, [sandbox_id, id, now]);
        if (row.o_outcome !== 'released') return 0;
        const [pending] = await tx.rows<{ debit_account_id: string; amount: string; code: string }>(
          `SELECT debit_account_id, amount, code FROM ledger_pending_transfers WHERE sandbox_id = $1 AND id = $2`,
          [sandbox_id, id],
        );
        await this.outbox.publish(tx, {
          sandboxId: sandbox_id,
          type: Topic.PendingTransferExpired,
          data: { pendingTransferId: id, accountId: pending.debit_account_id, amount: toYen(pending.amount), code: pending.code },
          occurredAt: now,
        });
        return 1;
      });
    }
    if (expired > 0) this.logger.log(`expired ${expired} pending transfers`);
    return expired;
  }

  async walletBalance(q: Queryable, sandboxId: string, walletId: string): Promise<WalletBalance | null> {
    const [row] = await q.rows<{ balance: string; reserved: string }>(
      `SELECT balance, reserved FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND kind = 'wallet'`,
      [sandboxId, walletId],
    );
    return row ? { balance: toYen(row.balance), available: toYen(row.balance) - toYen(row.reserved) } : null;
  }

  /**
   * Pays each wallet's whole available balance to one account, a transfer
   * per wallet keyed by its own key, in one round trip (ledger_payout_batch).
   * Held wallets are skipped; keys already posted are reported, not posted again.
   */
  async payoutBatch(
    q: Queryable,
    sandboxId: string,
    payouts: Array<{ walletId: string; key: string }>,
    credit: string,
    code: TransferCode,
    at: Date,
  ): Promise<PayoutResult[]> {
    if (payouts.length === 0) return [];
    const rows = await q.rows<{ o_wallet: string; o_outcome: PayoutOutcome; o_transfer_id: string | null; o_amount: string }>(
      `SELECT * FROM ledger_payout_batch($1, $2, $3, $4, $5, $6, $7)`,
      [sandboxId, payouts.map((p) => p.walletId), payouts.map(() => newId('trf')), payouts.map((p) => p.key), credit, code, at],
    );
    return rows.map((r) => ({ walletId: r.o_wallet, outcome: r.o_outcome, transferId: r.o_transfer_id, amount: toYen(r.o_amount) }));
  }

  /** What all wallets of a sandbox hold now, or held at a past time (from the entries). */
  async walletTotals(q: Queryable, sandboxId: string, at?: Date): Promise<{ wallets: number; total: number }> {
    const [row] = at
      ? await q.rows<{ wallets: string; total: string | null }>(
          `SELECT count(*) AS wallets, sum(b.balance) AS total FROM (
             SELECT e.account_id, sum(e.amount) AS balance FROM ledger_entries e
               JOIN ledger_accounts a ON a.sandbox_id = e.sandbox_id AND a.id = e.account_id AND a.kind = 'wallet'
              WHERE e.sandbox_id = $1 AND e.posted_at <= $2 GROUP BY e.account_id) b
            WHERE b.balance > 0`,
          [sandboxId, at],
        )
      : await q.rows<{ wallets: string; total: string | null }>(
          `SELECT count(*) AS wallets, sum(balance) AS total FROM ledger_accounts WHERE sandbox_id = $1 AND kind = 'wallet' AND balance > 0`,
          [sandboxId],
        );
    return { wallets: Number(row.wallets), total: toYen(row.total) };
  }

  /** Balance of any account; store and system balances are the sum of their entries. */
  async accountBalance(q: Queryable, sandboxId: string, accountId: string): Promise<number> {
    const [row] = await q.rows<{ balance: string | null }>(
      `SELECT sum(amount) AS balance FROM ledger_entries WHERE sandbox_id = $1 AND account_id = $2`,
      [sandboxId, accountId],
    );
    return toYen(row.balance);
  }

  /** How many pending transfers of one purpose, made since a time, still reserve an account's money. */
  async openReservations(q: Queryable, sandboxId: string, accountId: string, code: TransferCode, since: Date): Promise<number> {
    const [row] = await q.rows<{ n: string }>(
      `SELECT count(*) AS n FROM ledger_pending_transfers
        WHERE sandbox_id = $1 AND debit_account_id = $2 AND code = $3 AND status = 'pending' AND created_at >= $4`,
      [sandboxId, accountId, code, since],
    );
    return Number(row.n);
  }

  async pendingStatus(q: Queryable, sandboxId: string, pendingId: string): Promise<string | null> {
    const [row] = await q.rows<{ status: string }>(`SELECT status FROM ledger_pending_transfers WHERE sandbox_id = $1 AND id = $2`, [
      sandboxId,
      pendingId,
    ]);
    return row?.status ?? null;
  }

  /** Puts a hold on a wallet (payments refused); once per hold, however often the message comes, and never after its lift. */
  async applyHold(q: Queryable, sandboxId: string, hold: { holdId: string; walletId: string; reason: string; at: Date }): Promise<void> {
    await this.lockHold(q, sandboxId, hold.holdId);
    const inserted = await q.rows(
      `INSERT INTO ledger_wallet_holds (sandbox_id, hold_id, wallet_id, reason, placed_at)
       SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM ledger_lifted_holds WHERE sandbox_id = $1 AND hold_id = $2)
       ON CONFLICT (sandbox_id, hold_id) DO NOTHING RETURNING 1`,
      [sandboxId, hold.holdId, hold.walletId, hold.reason, hold.at],
    );
    if (inserted.length === 1) {
      await q.rows(`UPDATE ledger_accounts SET holds = holds + 1 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, hold.walletId]);
    }
  }

  /** Lifts a hold, leaving a tombstone so that its apply, should it come later, changes nothing. */
  async liftHold(q: Queryable, sandboxId: string, holdId: string, at: Date): Promise<void> {
    await this.lockHold(q, sandboxId, holdId);
    await q.rows(`INSERT INTO ledger_lifted_holds (sandbox_id, hold_id, lifted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      sandboxId,
      holdId,
      at,
    ]);
    const [removed] = await q.rows<{ wallet_id: string }>(
      `DELETE FROM ledger_wallet_holds WHERE sandbox_id = $1 AND hold_id = $2 RETURNING wallet_id`,
      [sandboxId, holdId],
    );
    if (removed)
      await q.rows(`UPDATE ledger_accounts SET holds = holds - 1 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, removed.wallet_id]);
  }

  /** The apply and the lift of one hold take turns, so neither misses the row the other is writing. */
  private async lockHold(q: Queryable, sandboxId: string, holdId: string): Promise<void> {
    await q.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1 || '/hold/' || $2, 0))`, [sandboxId, holdId]);
  }

  async walletHolds(q: Queryable, sandboxId: string, walletId: string): Promise<Array<{ id: string; reason: string; placedAt: string }>> {
    const rows = await q.rows<{ hold_id: string; reason: string; placed_at: Date }>(
      `SELECT hold_id, reason, placed_at FROM ledger_wallet_holds WHERE sandbox_id = $1 AND wallet_id = $2 ORDER BY placed_at`,
      [sandboxId, walletId],
    );
    return rows.map((r) => ({ id: r.hold_id, reason: r.reason, placedAt: r.placed_at.toISOString() }));
  }

  /** Refuses what a held wallet may not do (issue codes, top up) in the modules that own those acts. */
  async assertNotOnHold(q: Queryable, sandboxId: string, walletId: string): Promise<void> {
    const rows = await q.rows(`SELECT 1 FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND holds > 0`, [sandboxId, walletId]);
    if (rows.length > 0) throw onHold(walletId);
  }

  /** Total moved by transfers of one purpose from or to one account, up to a time (reports). */
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
}
