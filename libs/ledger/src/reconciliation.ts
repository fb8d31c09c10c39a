import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '#core';
import { toYen } from './ledger.types.js';

/** The invariants reconciliation proves, by the name a broken one is reported under. */
export const RECONCILIATION_CHECKS = [
  'wallet_balance_equals_entries',
  'wallet_not_negative',
  'wallet_reserved_equals_pending',
  'entries_sum_to_zero',
  'transfer_has_two_entries',
  'entry_belongs_to_transfer',
  'wallets_equal_flows',
] as const;

export interface Discrepancy {
  check: (typeof RECONCILIATION_CHECKS)[number];
  detail: string;
  accountId?: string;
  transferId?: string;
  expected?: number;
  actual?: number;
}

export interface ReconciliationReport {
  ok: boolean;
  asOf: string;
  discrepancies: Discrepancy[];
  totals: {
    accounts: { wallet: number; store: number; system: number };
    transfers: number;
    entriesSum: number;
    walletBalances: number;
    walletReserved: number;
    storeBalances: number;
    pendingTransfers: { count: number; amount: number };
    walletFlows: { in: Record<string, number>; out: Record<string, number> };
    systemBalances: Record<string, number>;
  };
}

const MAX_LISTED = 100;

interface AccountRow {
  id: string;
  kind: 'wallet' | 'store' | 'system';
  balance: string;
  reserved: string;
  entries_sum: string;
  pending_sum: string;
}

/**
 * Proves the ledger's invariants for one sandbox on one snapshot: every
 * transfer is two opposite entries, all entries sum to zero, each wallet's
 * stored balance equals its entries and never goes negative, reservations
 * equal open pending transfers, and wallet balances equal money in minus
 * money out by purpose.
 */
@Injectable()
export class Reconciliation {
  constructor(private readonly db: Database) {}

  async run(sandboxId: string, asOf: Date): Promise<ReconciliationReport> {
    return this.db.transaction((tx) => this.check(tx, sandboxId, asOf), 'REPEATABLE READ');
  }

  private async check(tx: Tx, sandboxId: string, asOf: Date): Promise<ReconciliationReport> {
    const discrepancies: Discrepancy[] = [];
    const add = (d: Discrepancy): void => {
      if (discrepancies.length < MAX_LISTED) discrepancies.push(d);
    };

    const accounts = await tx.rows<AccountRow>(
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

    const counts = { wallet: 0, store: 0, system: 0 };
    const systemBalances: Record<string, number> = {};
    let walletBalances = 0;
    let walletReserved = 0;
    let storeBalances = 0;
    for (const row of accounts) {
      counts[row.kind] += 1;
      const entries = toYen(row.entries_sum);
      if (row.kind === 'system') systemBalances[row.id] = entries;
      if (row.kind === 'store') storeBalances += entries;
      if (row.kind !== 'wallet') continue;
      const balance = toYen(row.balance);
      const reserved = toYen(row.reserved);
      walletBalances += balance;
      walletReserved += reserved;
      if (balance !== entries) {
        add({
          check: 'wallet_balance_equals_entries',
          accountId: row.id,
          expected: entries,
          actual: balance,
          detail: 'stored balance differs from the sum of its entries',
        });
      }
      if (balance < 0 || reserved < 0 || reserved > balance) {
        add({
          check: 'wallet_not_negative',
          accountId: row.id,
          actual: balance - reserved,
          detail: 'wallet balance or available balance is negative',
        });
      }
      if (reserved !== toYen(row.pending_sum)) {
        add({
          check: 'wallet_reserved_equals_pending',
          accountId: row.id,
          expected: toYen(row.pending_sum),
          actual: reserved,
          detail: 'reserved funds differ from open pending transfers',
        });
      }
    }

    const [sums] = await tx.rows<{ entries_sum: string | null; transfers: string }>(
      `SELECT (SELECT sum(amount) FROM ledger_entries WHERE sandbox_id = $1) AS entries_sum,
              (SELECT count(*) FROM ledger_transfers WHERE sandbox_id = $1) AS transfers`,
      [sandboxId],
    );
    const entriesSum = toYen(sums.entries_sum);
    if (entriesSum !== 0) add({ check: 'entries_sum_to_zero', expected: 0, actual: entriesSum, detail: 'money was created or lost' });

    const broken = await tx.rows<{ id: string }>(
      `SELECT t.id FROM ledger_transfers t
         LEFT JOIN ledger_entries d ON d.sandbox_id = t.sandbox_id AND d.transfer_id = t.id AND d.account_id = t.debit_account_id AND d.amount = -t.amount
         LEFT JOIN ledger_entries c ON c.sandbox_id = t.sandbox_id AND c.transfer_id = t.id AND c.account_id = t.credit_account_id AND c.amount = t.amount
        WHERE t.sandbox_id = $1 AND (d.transfer_id IS NULL OR c.transfer_id IS NULL)
        LIMIT $2`,
      [sandboxId, MAX_LISTED],
    );
    for (const { id } of broken)
      add({ check: 'transfer_has_two_entries', transferId: id, detail: 'transfer lacks its debit or credit entry' });

    const orphans = await tx.rows<{ transfer_id: string; account_id: string }>(
      `SELECT e.transfer_id, e.account_id FROM ledger_entries e
        WHERE e.sandbox_id = $1
          AND (NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.sandbox_id = e.sandbox_id AND t.id = e.transfer_id
                             AND e.account_id IN (t.debit_account_id, t.credit_account_id))
               OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.sandbox_id = e.sandbox_id AND a.id = e.account_id))
        LIMIT $2`,
      [sandboxId, MAX_LISTED],
    );
    for (const o of orphans)
      add({
        check: 'entry_belongs_to_transfer',
        transferId: o.transfer_id,
        accountId: o.account_id,
        detail: 'entry without its transfer or account',
      });

    const flows = await tx.rows<{ direction: 'in' | 'out'; code: string; total: string }>(
      `SELECT 'in' AS direction, t.code, sum(t.amount) AS total FROM ledger_transfers t
         JOIN ledger_accounts a ON a.sandbox_id = t.sandbox_id AND a.id = t.credit_account_id AND a.kind = 'wallet'
        WHERE t.sandbox_id = $1 GROUP BY t.code
       UNION ALL
       SELECT 'out', t.code, sum(t.amount) FROM ledger_transfers t
         JOIN ledger_accounts a ON a.sandbox_id = t.sandbox_id AND a.id = t.debit_account_id AND a.kind = 'wallet'
        WHERE t.sandbox_id = $1 GROUP BY t.code`,
      [sandboxId],
    );
    const walletFlows = { in: {} as Record<string, number>, out: {} as Record<string, number> };
    let net = 0;
    for (const f of flows) {
      walletFlows[f.direction][f.code] = toYen(f.total);
      net += f.direction === 'in' ? toYen(f.total) : -toYen(f.total);
    }
    if (net !== walletBalances) {
      add({
        check: 'wallets_equal_flows',
        expected: net,
        actual: walletBalances,
        detail: 'wallet balances differ from money in minus money out',
      });
    }

    const [pending] = await tx.rows<{ count: string; amount: string | null }>(
      `SELECT count(*) AS count, sum(amount) AS amount FROM ledger_pending_transfers WHERE sandbox_id = $1 AND status = 'pending'`,
      [sandboxId],
    );

    return {
      ok: discrepancies.length === 0,
      asOf: asOf.toISOString(),
      discrepancies,
      totals: {
        accounts: counts,
        transfers: toYen(sums.transfers),
        entriesSum,
        walletBalances,
        walletReserved,
        storeBalances,
        pendingTransfers: { count: toYen(pending.count), amount: toYen(pending.amount) },
        walletFlows,
        systemBalances,
      },
    };
  }
}
