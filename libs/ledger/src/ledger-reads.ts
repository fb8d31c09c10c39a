import { Injectable } from '@nestjs/common';
import { Database, DomainError, type Page } from '#core';
import { SystemAccount, type AccountKind, type PendingStatus, toYen } from './ledger.types.js';

export interface AccountView {
  id: string;
  kind: AccountKind;
  /** Wallets: the stored balance; stores and system accounts: the sum of their entries. */
  balance: number;
  /** Wallets: balance less what open pending transfers reserve; others: the balance. */
  available: number;
  reserved: number;
  /** Open fraud holds on the wallet (its payments are refused while any is open). */
  holds: number;
  createdAt: string;
}

export interface AccountTransfer {
  id: string;
  code: string;
  /** Signed for the account read: positive when money came in. */
  amount: number;
  debitAccountId: string;
  creditAccountId: string;
  postedAt: string;
  metadata: Record<string, unknown>;
}

export interface AccountPendingTransfer {
  id: string;
  code: string;
  amount: number;
  debitAccountId: string;
  creditAccountId: string;
  status: PendingStatus;
  createdAt: string;
  expiresAt: string | null;
  resolvedAt: string | null;
  postedAmount: number | null;
  transferId: string | null;
}

export interface Overview {
  asOf: string;
  /** The sandbox day the "today" figures cover: midnight to midnight in Japan (Asia/Tokyo). */
  day: { from: string; to: string; timeZone: 'Asia/Tokyo' };
  wallets: number;
  walletsWithBalance: number;
  /** What customers hold: the sum of every wallet's balance. */
  outstanding: number;
  reserved: number;
  /** Wallets with at least one open fraud hold, and the open holds. */
  walletsOnHold: number;
  openHolds: number;
  today: {
    topups: Record<string, { count: number; amount: number }>;
    payments: { count: number; amount: number };
    refunds: { count: number; amount: number };
  };
}

const TOPUP_CHANNEL_ACCOUNTS: Record<string, string> = {
  card: SystemAccount.TopupCard,
  bank_debit: SystemAccount.TopupBankDebit,
  atm: SystemAccount.TopupAtm,
  register_cash: SystemAccount.TopupRegisterCash,
  points: SystemAccount.TopupPoints,
};

const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** Midnight to midnight, Japan time, around a sandbox instant. */
export function jstDay(at: Date): { from: Date; to: Date } {
  const from = new Date(Math.floor((at.getTime() + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

interface AccountRow {
  id: string;
  kind: AccountKind;
  balance: string;
  reserved: string;
  holds: number;
  created_at: Date;
  entries_sum: string | null;
}

/** Read-only views of the ledger for the operator: accounts, their transfers, and the day's figures. */
@Injectable()
export class LedgerReads {
  constructor(private readonly db: Database) {}

  async accounts(sandboxId: string, query: { kind?: AccountKind; limit: number; startingAfter?: string }): Promise<Page<AccountView>> {
    const rows = await this.db.rows<AccountRow>(
      `SELECT a.id, a.kind, a.balance, a.reserved, a.holds, a.created_at,
              CASE WHEN a.kind = 'wallet' THEN NULL
                   ELSE (SELECT sum(e.amount) FROM ledger_entries e WHERE e.sandbox_id = a.sandbox_id AND e.account_id = a.id) END AS entries_sum
         FROM ledger_accounts a
        WHERE a.sandbox_id = $1 AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.id < $3)
        ORDER BY a.id DESC LIMIT $4`,
      [sandboxId, query.kind ?? null, query.startingAfter ?? null, query.limit + 1],
    );
    return { data: rows.slice(0, query.limit).map(toAccount), has_more: rows.length > query.limit };
  }

  async account(sandboxId: string, accountId: string): Promise<AccountView> {
    const [row] = await this.db.rows<AccountRow>(
      `SELECT a.id, a.kind, a.balance, a.reserved, a.holds, a.created_at,
              CASE WHEN a.kind = 'wallet' THEN NULL
                   ELSE (SELECT sum(e.amount) FROM ledger_entries e WHERE e.sandbox_id = a.sandbox_id AND e.account_id = a.id) END AS entries_sum
         FROM ledger_accounts a WHERE a.sandbox_id = $1 AND a.id = $2`,
      [sandboxId, accountId],
    );
    if (!row) throw DomainError.notFound('account', accountId);
    return toAccount(row);
  }

  async transfers(sandboxId: string, accountId: string, query: { limit: number; startingAfter?: string }): Promise<Page<AccountTransfer>> {
    await this.account(sandboxId, accountId);
    const rows = await this.db.rows<{
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

  async pendingTransfers(
    sandboxId: string,
    accountId: string,
    query: { status?: PendingStatus; limit: number; startingAfter?: string },
  ): Promise<Page<AccountPendingTransfer>> {
    await this.account(sandboxId, accountId);
    const rows = await this.db.rows<{
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
    }>(
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

  /** The operator's day at a glance, on one consistent snapshot of the ledger. */
  async overview(sandboxId: string, now: Date): Promise<Overview> {
    const day = jstDay(now);
    return this.db.transaction(async (tx) => {
      const [wallets] = await tx.rows<{ n: string; with_balance: string; total: string | null; reserved: string | null; on_hold: string }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE balance > 0) AS with_balance, sum(balance) AS total, sum(reserved) AS reserved,
                count(*) FILTER (WHERE holds > 0) AS on_hold
           FROM ledger_accounts WHERE sandbox_id = $1 AND kind = 'wallet'`,
        [sandboxId],
      );
      const [holds] = await tx.rows<{ n: string }>(`SELECT count(*) AS n FROM ledger_wallet_holds WHERE sandbox_id = $1`, [sandboxId]);
      const flows = await tx.rows<{ code: string; debit_account_id: string; count: string; amount: string }>(
        `SELECT code, CASE WHEN code = 'topup' THEN debit_account_id ELSE '' END AS debit_account_id, count(*) AS count, sum(amount) AS amount
           FROM ledger_transfers
          WHERE sandbox_id = $1 AND code IN ('topup', 'payment', 'refund') AND posted_at >= $2 AND posted_at < $3
          GROUP BY 1, 2`,
        [sandboxId, day.from, day.to],
      );
      const topups = Object.fromEntries(Object.keys(TOPUP_CHANNEL_ACCOUNTS).map((channel) => [channel, { count: 0, amount: 0 }]));
      const payments = { count: 0, amount: 0 };
      const refunds = { count: 0, amount: 0 };
      for (const f of flows) {
        const figure = { count: Number(f.count), amount: toYen(f.amount) };
        if (f.code === 'payment') Object.assign(payments, figure);
        else if (f.code === 'refund') Object.assign(refunds, figure);
        else {
          const channel = Object.keys(TOPUP_CHANNEL_ACCOUNTS).find((c) => TOPUP_CHANNEL_ACCOUNTS[c] === f.debit_account_id);
          if (channel) topups[channel] = figure;
        }
      }
      return {
        asOf: now.toISOString(),
        day: { from: day.from.toISOString(), to: day.to.toISOString(), timeZone: 'Asia/Tokyo' as const },
        wallets: Number(wallets.n),
        walletsWithBalance: Number(wallets.with_balance),
        outstanding: toYen(wallets.total),
        reserved: toYen(wallets.reserved),
        walletsOnHold: Number(wallets.on_hold),
        openHolds: Number(holds.n),
        today: { topups, payments, refunds },
      };
    }, 'REPEATABLE READ');
  }
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
