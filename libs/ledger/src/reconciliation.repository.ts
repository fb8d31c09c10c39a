import { Injectable } from '@nestjs/common';
import type { Queryable } from '#core';
import { type AccountKind, toYen } from './ledger.types.js';

/** What reconciliation reads, each query on the caller's snapshot. */
@Injectable()
export class ReconciliationRepository {
  /** Every account with its stored balance and reservations beside the sum of its entries and of its open pending transfers. */
  async accounts(
    q: Queryable,
    sandboxId: string,
  ): Promise<Array<{ id: string; kind: AccountKind; balance: number; reserved: number; entriesSum: number; pendingSum: number }>> {
    const rows = await q.rows<{
      id: string;
      kind: AccountKind;
      balance: string;
      reserved: string;
      entries_sum: string;
      pending_sum: string;
    }>(
      `SELECT a.id, a.kind, a.balance, a.reserved,
              COALESCE(e.total, 0) AS entries_sum, COALESCE(p.total, 0) AS pending_sum
         FROM ledger_accounts a
         LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_entries WHERE sandbox_id = $1 GROUP BY account_id) e
                ON e.account_id = a.id
         LEFT JOIN (SELECT debit_account_id, sum(amount) AS total FROM ledger_pending_transfers
                     WHERE sandbox_id = $1 AND status = 'pending' GROUP BY debit_account_id) p
                ON p.debit_account_id = a.id
        WHERE a.sandbox_id = $1`,
      [sandboxId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      balance: toYen(r.balance),
      reserved: toYen(r.reserved),
      entriesSum: toYen(r.entries_sum),
      pendingSum: toYen(r.pending_sum),
    }));
  }

  /** All entries summed, and how many transfers there are. */
  async sums(q: Queryable, sandboxId: string): Promise<{ entriesSum: number; transfers: number }> {
    const [row] = await q.rows<{ entries_sum: string | null; transfers: string }>(
      `SELECT (SELECT sum(amount) FROM ledger_entries WHERE sandbox_id = $1) AS entries_sum,
              (SELECT count(*) FROM ledger_transfers WHERE sandbox_id = $1) AS transfers`,
      [sandboxId],
    );
    return { entriesSum: toYen(row.entries_sum), transfers: toYen(row.transfers) };
  }

  /** Transfers lacking their debit or credit entry. */
  async transfersMissingEntries(q: Queryable, sandboxId: string, limit: number): Promise<string[]> {
    const rows = await q.rows<{ id: string }>(
      `SELECT t.id FROM ledger_transfers t
         LEFT JOIN ledger_entries d ON d.sandbox_id = t.sandbox_id AND d.transfer_id = t.id AND d.account_id = t.debit_account_id AND d.amount = -t.amount
         LEFT JOIN ledger_entries c ON c.sandbox_id = t.sandbox_id AND c.transfer_id = t.id AND c.account_id = t.credit_account_id AND c.amount = t.amount
        WHERE t.sandbox_id = $1 AND (d.transfer_id IS NULL OR c.transfer_id IS NULL)
        LIMIT $2`,
      [sandboxId, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Entries without their transfer (on one of its two sides) or without their account. */
  async strayEntries(q: Queryable, sandboxId: string, limit: number): Promise<Array<{ transferId: string; accountId: string }>> {
    const rows = await q.rows<{ transfer_id: string; account_id: string }>(
      `SELECT e.transfer_id, e.account_id FROM ledger_entries e
        WHERE e.sandbox_id = $1
          AND (NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.sandbox_id = e.sandbox_id AND t.id = e.transfer_id
                             AND e.account_id IN (t.debit_account_id, t.credit_account_id))
               OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = e.sandbox_id AND a.id = e.account_id))
        LIMIT $2`,
      [sandboxId, limit],
    );
    return rows.map((r) => ({ transferId: r.transfer_id, accountId: r.account_id }));
  }

  /** Yen into and out of wallets, by transfer code. */
  async walletFlows(q: Queryable, sandboxId: string): Promise<Array<{ direction: 'in' | 'out'; code: string; total: number }>> {
    const rows = await q.rows<{ direction: 'in' | 'out'; code: string; total: string }>(
      `SELECT 'in' AS direction, t.code, sum(t.amount) AS total FROM ledger_transfers t
         JOIN ledger_accounts a ON a.sandbox_id = t.sandbox_id AND a.id = t.credit_account_id AND a.kind = 'wallet'
        WHERE t.sandbox_id = $1 GROUP BY t.code
       UNION ALL
       SELECT 'out', t.code, sum(t.amount) FROM ledger_transfers t
         JOIN ledger_accounts a ON a.sandbox_id = t.sandbox_id AND a.id = t.debit_account_id AND a.kind = 'wallet'
        WHERE t.sandbox_id = $1 GROUP BY t.code`,
      [sandboxId],
    );
    return rows.map((r) => ({ direction: r.direction, code: r.code, total: toYen(r.total) }));
  }

  /** The open pending transfers: how many, and what they reserve. */
  async openPending(q: Queryable, sandboxId: string): Promise<{ count: number; amount: number }> {
    const [row] = await q.rows<{ count: string; amount: string | null }>(
      `SELECT count(*) AS count, sum(amount) AS amount FROM ledger_pending_transfers WHERE sandbox_id = $1 AND status = 'pending'`,
      [sandboxId],
    );
    return { count: toYen(row.count), amount: toYen(row.amount) };
  }
}
