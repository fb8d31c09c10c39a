import { Injectable } from '@nestjs/common';
import type { Page, Queryable } from '#core';
import type { AccountView } from './account-views.js';
import { type AccountKind, SystemAccount, type WalletBalance, type WalletHoldView, toYen } from './ledger.types.js';

interface AccountRow {
  id: string;
  kind: AccountKind;
  balance: string;
  reserved: string;
  holds: number;
  created_at: Date;
  entries_sum: string | null;
}

function toAccount(row: AccountRow): AccountView {
  const balance = row.kind === 'wallet' ? toYen(row.balance) : toYen(row.entries_sum);
  const reserved = toYen(row.reserved);
  return {
    id: row.id,
    kind: row.kind,
    balance,
    available: balance - reserved,
    reserved,
    holds: row.holds,
    createdAt: row.created_at.toISOString(),
  };
}

/** Store and system accounts keep no balance of their own: the operator sees the sum of their entries. */
const ACCOUNT_VIEW = `SELECT a.id, a.kind, a.balance, a.reserved, a.holds, a.created_at,
              CASE WHEN a.kind = 'wallet' THEN NULL
                   ELSE (SELECT sum(e.amount) FROM ledger_entries e WHERE e.sandbox_id = a.sandbox_id AND e.account_id = a.id) END AS entries_sum
         FROM ledger_accounts a`;

/** Ledger accounts: a wallet's balance, reservations and hold count live on its row. */
@Injectable()
export class AccountsRepository {
  async open(q: Queryable, sandboxId: string, accountId: string, kind: AccountKind, at: Date): Promise<void> {
    await q.rows(
      `INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sandbox_id, id) DO NOTHING`,
      [sandboxId, accountId, kind, at],
    );
  }

  async openSystem(q: Queryable, sandboxId: string, at: Date): Promise<void> {
    await q.rows(
      `INSERT INTO ledger_accounts (sandbox_id, id, kind, created_at)
       SELECT $1, unnest($2::text[]), 'system', $3
       ON CONFLICT (sandbox_id, id) DO NOTHING`,
      [sandboxId, Object.values(SystemAccount), at],
    );
  }

  async exists(q: Queryable, sandboxId: string, accountId: string, kind: AccountKind): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND kind = $3`, [
      sandboxId,
      accountId,
      kind,
    ]);
    return rows.length === 1;
  }

  async findWalletBalance(q: Queryable, sandboxId: string, walletId: string): Promise<WalletBalance | null> {
    const [row] = await q.rows<{ balance: string; reserved: string }>(
      `SELECT balance, reserved FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND kind = 'wallet'`,
      [sandboxId, walletId],
    );
    return row ? { balance: toYen(row.balance), available: toYen(row.balance) - toYen(row.reserved) } : null;
  }

  /** The wallet's balance and its open holds, oldest first, in one round trip; null if there is no such wallet. */
  async findWalletWithHolds(
    q: Queryable,
    sandboxId: string,
    walletId: string,
  ): Promise<(WalletBalance & { holds: WalletHoldView[] }) | null> {
    const [row] = await q.rows<{ balance: string; reserved: string; holds: WalletHoldView[] }>(
      `SELECT a.balance, a.reserved, COALESCE(v.holds, '[]') AS holds
         FROM ledger_accounts a LEFT JOIN ledger_wallet_hold_views v ON v.sandbox_id = a.sandbox_id AND v.wallet_id = a.id
        WHERE a.sandbox_id = $1 AND a.id = $2 AND a.kind = 'wallet'`,
      [sandboxId, walletId],
    );
    return row ? { balance: toYen(row.balance), available: toYen(row.balance) - toYen(row.reserved), holds: row.holds } : null;
  }

  async isOnHold(q: Queryable, sandboxId: string, walletId: string): Promise<boolean> {
    const rows = await q.rows(`SELECT 1 FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND holds > 0`, [sandboxId, walletId]);
    return rows.length > 0;
  }

  /**
   * See sql/ledger_wallet_allowance.sql. `lock` keeps the wallet's row locked until commit; the sum is read
   * by a statement of its own after the lock, so it sees the payment of whoever held the row before.
   */
  async allowance(q: Queryable, sandboxId: string, walletId: string, allowance: number, at: Date, lock: boolean): Promise<number> {
    const [wallet] = await q.rows(
      `SELECT 1 FROM ledger_accounts WHERE sandbox_id = $1 AND id = $2 AND kind = 'wallet'${lock ? ' FOR UPDATE' : ''}`,
      [sandboxId, walletId],
    );
    if (!wallet) throw new Error(`ledger: no wallet ${walletId} in sandbox ${sandboxId}`);
    // Called on its own: on Citus a function that reads tables cannot run inside a query on a shard.
    const [row] = await q.rows<{ left_over: string }>(`SELECT ledger_wallet_allowance($1, $2, $3, $4) AS left_over`, [
      sandboxId,
      walletId,
      allowance,
      at,
    ]);
    return Number(row.left_over);
  }

  /** Counts one more (or one fewer) open hold on a wallet. */
  async countHold(q: Queryable, sandboxId: string, walletId: string, change: 1 | -1): Promise<void> {
    await q.rows(`UPDATE ledger_accounts SET holds = holds + $3 WHERE sandbox_id = $1 AND id = $2`, [sandboxId, walletId, change]);
  }

  /** What all wallets of a sandbox hold now. */
  async walletTotals(q: Queryable, sandboxId: string): Promise<{ wallets: number; total: number }> {
    const [row] = await q.rows<{ wallets: string; total: string | null }>(
      `SELECT count(*) AS wallets, sum(balance) AS total FROM ledger_accounts WHERE sandbox_id = $1 AND kind = 'wallet' AND balance > 0`,
      [sandboxId],
    );
    return { wallets: Number(row.wallets), total: toYen(row.total) };
  }

  /** What all wallets of a sandbox held at a past time, from their entries. */
  async walletTotalsAt(q: Queryable, sandboxId: string, at: Date): Promise<{ wallets: number; total: number }> {
    const [row] = await q.rows<{ wallets: string; total: string | null }>(
      `SELECT count(*) AS wallets, sum(b.balance) AS total FROM (
         SELECT e.account_id, sum(e.amount) AS balance FROM ledger_entries e
           JOIN ledger_accounts a ON a.sandbox_id = e.sandbox_id AND a.id = e.account_id AND a.kind = 'wallet'
          WHERE e.sandbox_id = $1 AND e.posted_at <= $2 GROUP BY e.account_id) b
        WHERE b.balance > 0`,
      [sandboxId, at],
    );
    return { wallets: Number(row.wallets), total: toYen(row.total) };
  }

  /** The sandbox's accounts newest first, optionally of one kind. */
  async list(
    q: Queryable,
    sandboxId: string,
    query: { kind?: AccountKind; limit: number; startingAfter?: string },
  ): Promise<Page<AccountView>> {
    const rows = await q.rows<AccountRow>(
      `${ACCOUNT_VIEW}
        WHERE a.sandbox_id = $1 AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.id < $3)
        ORDER BY a.id DESC LIMIT $4`,
      [sandboxId, query.kind ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toAccount), has_more: rows.length > query.limit };
  }

  async find(q: Queryable, sandboxId: string, accountId: string): Promise<AccountView | null> {
    const [row] = await q.rows<AccountRow>(`${ACCOUNT_VIEW} WHERE a.sandbox_id = $1 AND a.id = $2`, [sandboxId, accountId]);
    return row ? toAccount(row) : null;
  }

  /** The wallets' figures for the operator's day: how many, with a balance, on hold, and what they hold and reserve. */
  async walletFigures(
    q: Queryable,
    sandboxId: string,
  ): Promise<{ wallets: number; withBalance: number; total: number; reserved: number; onHold: number }> {
    const [row] = await q.rows<{ n: string; with_balance: string; total: string | null; reserved: string | null; on_hold: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE balance > 0) AS with_balance, sum(balance) AS total, sum(reserved) AS reserved,
              count(*) FILTER (WHERE holds > 0) AS on_hold
         FROM ledger_accounts WHERE sandbox_id = $1 AND kind = 'wallet'`,
      [sandboxId],
    );
    return {
      wallets: Number(row.n),
      withBalance: Number(row.with_balance),
      total: toYen(row.total),
      reserved: toYen(row.reserved),
      onHold: Number(row.on_hold),
    };
  }

  /** A sandbox reset keeps the system accounts (they hold no stored balance) and wipes the rest. */
  async wipe(q: Queryable, sandboxId: string): Promise<void> {
    await q.rows(`DELETE FROM ledger_accounts WHERE sandbox_id = $1 AND kind <> 'system'`, [sandboxId]);
  }
}
